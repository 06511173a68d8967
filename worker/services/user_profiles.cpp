#include "worker/services/user_profiles.hpp"

#include "shared/identity/address.hpp"
#include "worker/runtime/store_call.hpp"

namespace twake::services {

namespace {

// Blocking: the profile of `user`, when its address names a registered domain.
std::optional<UserProfile> profile_of(store::DomainStore& domains,
                                      store::ConfigurationStore& configurations,
                                      std::optional<store::User> user) {
    if (!user) {
        return std::nullopt;
    }
    auto address = identity::parse_address(user->email);
    auto domain = address ? domains.find_by_name(address->domain) : std::nullopt;
    if (!domain) {
        return std::nullopt;
    }
    UserProfile profile{*user, domain->id, configurations.read(user->id, domain->id)};
    return profile;
}

// Blocking: the directory's names for an address; an unreachable directory counts as
// "unknown" (the route still answers from MongoDB).
std::optional<ldap::PersonNames> directory_names(ldap::LdapDirectory* directory,
                                                 const std::string& email) {
    if (directory == nullptr) {
        return std::nullopt;
    }
    try {
        return directory->names(email);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

}  // namespace

runtime::Awaitable<std::optional<UserProfile>> UserProfiles::by_email(
    const std::string& email) const {
    auto load = [&users = users_, &domains = domains_, &configurations = configurations_,
                 &provisioning = provisioning_, directory = directory_, email] {
        auto user = users.find_by_email(email);
        if (!user) {
            if (auto names = directory_names(directory, email)) {
                try {
                    user = provisioning.provision(email, names->firstname, names->lastname).user;
                } catch (const store::DomainNotFound&) {
                }
            }
        }
        return profile_of(domains, configurations, user);
    };
    co_return co_await runtime::run_store_call(blocking_, load);
}

runtime::Awaitable<std::optional<UserProfile>> UserProfiles::by_id(const std::string& id) const {
    auto load = [&users = users_, &domains = domains_, &configurations = configurations_, id] {
        return profile_of(domains, configurations, users.find_by_id(id));
    };
    co_return co_await runtime::run_store_call(blocking_, load);
}

runtime::Awaitable<std::optional<store::User>> UserProfiles::user_by_id(
    const std::string& id) const {
    auto load = [&users = users_, id] { return users.find_by_id(id); };
    co_return co_await runtime::run_store_call(blocking_, load);
}

}  // namespace twake::services
