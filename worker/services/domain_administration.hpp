#pragma once

// A domain's administrators (docs/webadmin.md §2.2): who they are, granting and revoking, each
// call on the blocking pool under the storage deadline.

#include <optional>
#include <string>
#include <vector>

#include "worker/runtime/awaitable.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/store/domain_store.hpp"
#include "worker/store/user_store.hpp"

namespace twake::services {

enum class AdminChange { Done, NoDomain, NoUser };

class DomainAdministration {
  public:
    DomainAdministration(runtime::BlockingPool& blocking, store::DomainStore& domains,
                         store::UserStore& users)
        : blocking_(blocking), domains_(domains), users_(users) {}

    // The administrators' addresses, sorted case-insensitively, without duplicates; those
    // whose user is gone are skipped, as upstream does. Nullopt when the domain is unknown.
    runtime::Awaitable<std::optional<std::vector<std::string>>> administrators(
        const std::string& domain_name) const;

    // Idempotent grant (`grant`) or revocation of the registered user `email`.
    runtime::Awaitable<AdminChange> change(const std::string& domain_id, const std::string& email,
                                           bool grant) const;

  private:
    runtime::BlockingPool& blocking_;
    store::DomainStore& domains_;
    store::UserStore& users_;
};

}  // namespace twake::services
