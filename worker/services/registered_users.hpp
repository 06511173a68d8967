#pragma once

// The OpenPaaS user documents as webadmin manages them (docs/webadmin.md §7, §7.1): find, list,
// create, update, delete, each call on the blocking pool under the storage deadline. The
// store's exceptions (DomainNotFound, UserConflict, UserNotFound) reach the caller.

#include <optional>
#include <string>
#include <vector>

#include "worker/runtime/awaitable.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/store/user_store.hpp"

namespace twake::services {

// A user's new address and names.
struct UserChange {
    std::string email;  // normalised
    std::string firstname;
    std::string lastname;
};

class RegisteredUsers {
  public:
    RegisteredUsers(runtime::BlockingPool& blocking, store::UserStore& users)
        : blocking_(blocking), users_(users) {}

    runtime::Awaitable<std::optional<store::User>> find_by_email(const std::string& email) const;
    // A malformed id is not found.
    runtime::Awaitable<std::optional<store::User>> find_by_id(const std::string& id) const;
    runtime::Awaitable<std::vector<store::User>> list() const;
    runtime::Awaitable<std::vector<store::User>> list_by_domain(const std::string& domain_id) const;
    runtime::Awaitable<void> add(const UserChange& user) const;
    // The careful update; `domain` (when set) restricts it to a user of that domain (another
    // domain's user is UserNotFound).
    runtime::Awaitable<void> update(const std::string& id, const UserChange& user,
                                    const std::optional<std::string>& domain) const;
    // False when no user has this address.
    runtime::Awaitable<bool> remove(const std::string& email) const;

  private:
    runtime::BlockingPool& blocking_;
    store::UserStore& users_;
};

// Whether `email` is an address of `domain`.
bool in_domain(const std::string& email, const std::string& domain);

}  // namespace twake::services
