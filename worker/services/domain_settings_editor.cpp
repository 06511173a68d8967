#include "worker/services/domain_settings_editor.hpp"

#include "worker/runtime/store_call.hpp"

namespace twake::services {

namespace {

// Blocking work that runs `write(domain)` when the domain is registered; false when it is not.
template <class Write>
auto if_registered(store::DomainStore& domains, const std::string& domain, Write write) {
    return [&domains, domain, write] {
        if (!domains.find_by_name(domain)) {
            return false;
        }
        write(domain);
        return true;
    };
}

}  // namespace

runtime::Awaitable<settings::DomainSettings> DomainSettingsEditor::stored(
    const std::string& domain) const {
    auto load = [&settings = settings_, domain] { return settings.find(domain); };
    co_return co_await runtime::run_store_call(blocking_, load);
}

runtime::Awaitable<std::optional<settings::DomainSettings>>
DomainSettingsEditor::stored_if_registered(const std::string& domain) const {
    auto load = [&domains = domains_, &settings = settings_,
                 domain]() -> std::optional<settings::DomainSettings> {
        if (!domains.find_by_name(domain)) {
            return std::nullopt;
        }
        return settings.find(domain);
    };
    co_return co_await runtime::run_store_call(blocking_, load);
}

runtime::Awaitable<bool> DomainSettingsEditor::replace(
    const std::string& domain, const std::optional<settings::DomainSettings>& values) const {
    auto save = if_registered(domains_, domain, [&settings = settings_, values](const auto& name) {
        if (values) {
            settings.save(name, *values);
        }
    });
    co_return co_await runtime::run_store_call(blocking_, save);
}

runtime::Awaitable<bool> DomainSettingsEditor::patch(
    const std::string& domain, const std::optional<settings::DomainSettingsPatch>& changes) const {
    auto apply =
        if_registered(domains_, domain, [&settings = settings_, changes](const auto& name) {
            if (changes) {
                settings.patch(name, *changes);
            }
        });
    co_return co_await runtime::run_store_call(blocking_, apply);
}

}  // namespace twake::services
