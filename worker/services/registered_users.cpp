#include "worker/services/registered_users.hpp"

#include "shared/identity/address.hpp"
#include "worker/runtime/store_call.hpp"

namespace twake::services {

bool in_domain(const std::string& email, const std::string& domain) {
    auto address = identity::parse_address(email);
    return address && address->domain == domain;
}

runtime::Awaitable<std::optional<store::User>> RegisteredUsers::find_by_email(
    const std::string& email) const {
    auto find = [&users = users_, email] { return users.find_by_email(email); };
    co_return co_await runtime::run_store_call(blocking_, find);
}

runtime::Awaitable<std::optional<store::User>> RegisteredUsers::find_by_id(
    const std::string& id) const {
    auto find = [&users = users_, id] { return users.find_by_id(id); };
    co_return co_await runtime::run_store_call(blocking_, find);
}

runtime::Awaitable<std::vector<store::User>> RegisteredUsers::list() const {
    auto list = [&users = users_] { return users.list(); };
    co_return co_await runtime::run_store_call(blocking_, list);
}

runtime::Awaitable<std::vector<store::User>> RegisteredUsers::list_by_domain(
    const std::string& domain_id) const {
    auto list = [&users = users_, domain_id] { return users.list_by_domain(domain_id); };
    co_return co_await runtime::run_store_call(blocking_, list);
}

runtime::Awaitable<void> RegisteredUsers::add(const UserChange& user) const {
    auto add = [&users = users_, user] {
        return users.add(user.email, user.firstname, user.lastname);
    };
    co_await runtime::run_store_call(blocking_, add);
}

runtime::Awaitable<void> RegisteredUsers::update(const std::string& id, const UserChange& user,
                                                 const std::optional<std::string>& domain) const {
    auto update = [&users = users_, id, user, domain] {
        if (domain) {
            auto stored = users.find_by_id(id);
            if (!stored || !in_domain(stored->email, *domain)) {
                throw store::UserNotFound(id);
            }
        }
        return users.update(id, user.email, user.firstname, user.lastname);
    };
    co_await runtime::run_store_call(blocking_, update);
}

runtime::Awaitable<bool> RegisteredUsers::remove(const std::string& email) const {
    auto remove = [&users = users_, email] { return users.remove(email); };
    co_return co_await runtime::run_store_call(blocking_, remove);
}

}  // namespace twake::services
