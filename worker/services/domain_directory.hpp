#pragma once

// The registered domains (the `domains` collection) as the routes of both listeners read and
// create them, each call on the blocking pool under the storage deadline.

#include <optional>
#include <string>
#include <vector>

#include "worker/runtime/awaitable.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/store/domain_store.hpp"

namespace twake::services {

class DomainDirectory {
  public:
    DomainDirectory(runtime::BlockingPool& blocking, store::DomainStore& domains)
        : blocking_(blocking), domains_(domains) {}

    runtime::Awaitable<std::optional<store::Domain>> find_by_id(const std::string& id) const;
    runtime::Awaitable<std::optional<store::Domain>> find_by_name(const std::string& name) const;
    runtime::Awaitable<bool> exists(const std::string& name) const;
    // Every registered domain's name, in the store's order.
    runtime::Awaitable<std::vector<std::string>> names() const;
    // Idempotent: an existing domain is left as it is.
    runtime::Awaitable<void> create(const std::string& name) const;

  private:
    runtime::BlockingPool& blocking_;
    store::DomainStore& domains_;
};

}  // namespace twake::services
