#include "worker/services/domain_directory.hpp"

#include "worker/runtime/store_call.hpp"

namespace twake::services {

runtime::Awaitable<std::optional<store::Domain>> DomainDirectory::find_by_id(
    const std::string& id) const {
    auto find = [&domains = domains_, id] { return domains.find_by_id(id); };
    co_return co_await runtime::run_store_call(blocking_, find);
}

runtime::Awaitable<std::optional<store::Domain>> DomainDirectory::find_by_name(
    const std::string& name) const {
    auto find = [&domains = domains_, name] { return domains.find_by_name(name); };
    co_return co_await runtime::run_store_call(blocking_, find);
}

runtime::Awaitable<bool> DomainDirectory::exists(const std::string& name) const {
    co_return (co_await find_by_name(name)).has_value();
}

runtime::Awaitable<std::vector<std::string>> DomainDirectory::names() const {
    auto list = [&domains = domains_] {
        std::vector<std::string> names;
        for (const auto& domain : domains.list()) {
            names.push_back(domain.name);
        }
        return names;
    };
    co_return co_await runtime::run_store_call(blocking_, list);
}

runtime::Awaitable<void> DomainDirectory::create(const std::string& name) const {
    auto add = [&domains = domains_, name] { return domains.add(name); };
    co_await runtime::run_store_call(blocking_, add);
}

}  // namespace twake::services
