#pragma once

// What the REST API's user routes show of a user (docs/reference/rest-api.md §4.2–4.5): the user document,
// its domain and its stored settings, read in one blocking call under the storage deadline.
// A person known to the directory but not yet to MongoDB is provisioned first (docs/reference/rest-api.md
// §2).

#include <optional>
#include <string>

#include "shared/json/json.hpp"
#include "worker/ldap/ldap_directory.hpp"
#include "worker/provisioning/user_provisioning.hpp"
#include "worker/runtime/awaitable.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/store/configuration_store.hpp"
#include "worker/store/domain_store.hpp"
#include "worker/store/user_store.hpp"

namespace twake::services {

struct UserProfile {
    store::User user;
    std::string domain_id;  // of the domain named by the address
    json::Json stored_settings;
};

class UserProfiles {
  public:
    UserProfiles(runtime::BlockingPool& blocking, store::UserStore& users,
                 store::DomainStore& domains, store::ConfigurationStore& configurations,
                 provisioning::UserProvisioning& provisioning,
                 ldap::LdapDirectory* directory)  // nullptr without LDAP
        : blocking_(blocking),
          users_(users),
          domains_(domains),
          configurations_(configurations),
          provisioning_(provisioning),
          directory_(directory) {}

    // By address, provisioning a person the directory knows; nullopt when unknown.
    runtime::Awaitable<std::optional<UserProfile>> by_email(const std::string& email) const;
    // By id; nullopt when unknown or malformed.
    runtime::Awaitable<std::optional<UserProfile>> by_id(const std::string& id) const;
    // The user document alone.
    runtime::Awaitable<std::optional<store::User>> user_by_id(const std::string& id) const;

  private:
    runtime::BlockingPool& blocking_;
    store::UserStore& users_;
    store::DomainStore& domains_;
    store::ConfigurationStore& configurations_;
    provisioning::UserProvisioning& provisioning_;
    ldap::LdapDirectory* directory_;
};

}  // namespace twake::services
