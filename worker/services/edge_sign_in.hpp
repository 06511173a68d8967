#pragma once

// The edge's sign-in calls (docs/reference/edge-worker.md §2): the user behind a resolved OIDC
// token or checked Basic credentials is provisioned before the edge caches or impersonates
// it (docs/reference/auth.md §2.4). Each call on the blocking pool under the storage deadline.

#include <optional>
#include <string>

#include "worker/ldap/ldap_directory.hpp"
#include "worker/provisioning/user_provisioning.hpp"
#include "worker/runtime/awaitable.hpp"
#include "worker/runtime/blocking_pool.hpp"

namespace twake::services {

// What a Basic sign-in came to.
struct BasicSignIn {
    enum class Outcome { Accepted, WrongCredentials, DirectoryUnavailable, DomainNotRegistered };
    Outcome outcome = Outcome::WrongCredentials;
    std::string username;  // the directory's, when the credentials are right
};

class EdgeSignIn {
  public:
    EdgeSignIn(runtime::BlockingPool& blocking, provisioning::UserProvisioning& provisioning,
               ldap::LdapDirectory* directory)  // nullptr without LDAP
        : blocking_(blocking), provisioning_(provisioning), directory_(directory) {}

    // The user of `email`, created with these names when new; nullopt when its domain is not
    // registered.
    runtime::Awaitable<std::optional<provisioning::Provisioned>> provision(
        const std::string& email, const std::optional<std::string>& given_name,
        const std::optional<std::string>& family_name) const;

    bool has_directory() const { return directory_ != nullptr; }
    // Checks a regular user's credentials against the directory (has_directory() only) and
    // provisions the user with the directory's names.
    runtime::Awaitable<BasicSignIn> basic(const std::string& login,
                                          const std::string& password) const;

  private:
    runtime::BlockingPool& blocking_;
    provisioning::UserProvisioning& provisioning_;
    ldap::LdapDirectory* directory_;
};

}  // namespace twake::services
