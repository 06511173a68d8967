#include "worker/services/user_configurations.hpp"

#include <optional>

#include "worker/runtime/store_call.hpp"
#include "worker/settings/user_settings.hpp"

namespace twake::services {

namespace {

struct Owner {
    std::string user_id;
    std::string domain_id;
};

// Blocking: the user and domain ids of `email`; with `provisioning`, creates the user first.
// Nullopt when there is no user document.
std::optional<Owner> find_owner(store::UserStore& users, const std::string& email,
                                provisioning::UserProvisioning* provisioning) {
    std::optional<store::User> user = users.find_by_email(email);
    if (!user && provisioning != nullptr) {
        try {
            user = provisioning->provision(email, std::nullopt, std::nullopt).user;
        } catch (const store::DomainNotFound&) {
            return std::nullopt;
        }
    }
    if (!user || !user->domain_id) {
        return std::nullopt;
    }
    return Owner{user->id, *user->domain_id};
}

}  // namespace

runtime::Awaitable<json::Json> UserConfigurations::stored(const std::string& email) const {
    auto load = [&users = users_, &configurations = configurations_, email] {
        auto owner = find_owner(users, email, nullptr);
        return owner ? configurations.read(owner->user_id, owner->domain_id) : json::Json::array();
    };
    co_return co_await runtime::run_store_call(blocking_, load);
}

runtime::Awaitable<bool> UserConfigurations::save(const std::string& email,
                                                  const std::shared_ptr<const json::Json>& modules,
                                                  bool merge) const {
    auto write = [&users = users_, &configurations = configurations_, &provisioning = provisioning_,
                  email, modules, merge] {
        auto owner = find_owner(users, email, &provisioning);
        if (!owner) {
            return false;
        }
        json::Json result =
            merge ? settings::merge_modules(
                        configurations.read(owner->user_id, owner->domain_id).get(), modules->get())
                  : json::Json::copy_of(modules->get());
        configurations.persist(owner->user_id, owner->domain_id, result.get());
        return true;
    };
    co_return co_await runtime::run_store_call(blocking_, write);
}

}  // namespace twake::services
