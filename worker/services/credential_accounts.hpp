#pragma once

// Credential users (docs/webadmin.md §4) as the webadmin routes manage them: each call on the
// blocking pool under the storage deadline (LDAP binds and password hashing block).

#include <memory>
#include <string>
#include <vector>

#include "worker/runtime/awaitable.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/credentials/credential_users.hpp"

namespace twake::services {

class CredentialAccounts {
  public:
    // `users` is shared with the calls still on the blocking pool.
    CredentialAccounts(runtime::BlockingPool& blocking,
                       std::shared_ptr<credentials::CredentialUsers> users)
        : blocking_(blocking), users_(std::move(users)) {}

    // Whether users can be created, changed and removed (false for LDAP).
    bool writable() const { return users_->writable(); }
    // Every username, sorted.
    runtime::Awaitable<std::vector<std::string>> list() const;
    runtime::Awaitable<bool> exists(const std::string& username) const;
    // Only when writable(); see CredentialUsers::put.
    runtime::Awaitable<credentials::CredentialUsers::PutOutcome> put(const std::string& username,
                                                                     const std::string& password,
                                                                     bool force) const;
    // Only when writable().
    runtime::Awaitable<void> remove(const std::string& username) const;
    runtime::Awaitable<bool> verify(const std::string& username, const std::string& password) const;

  private:
    runtime::BlockingPool& blocking_;
    std::shared_ptr<credentials::CredentialUsers> users_;
};

}  // namespace twake::services
