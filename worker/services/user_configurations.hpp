#pragma once

// A user's stored settings (docs/reference/rest-api.md §6): read, replaced and merged, each
// call on the blocking pool under the storage deadline. A write provisions the user first (the
// settings need a document to hang on); a read does not.

#include <memory>
#include <string>

#include "shared/json/json.hpp"
#include "worker/provisioning/user_provisioning.hpp"
#include "worker/runtime/awaitable.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/store/configuration_store.hpp"
#include "worker/store/user_store.hpp"

namespace twake::services {

class UserConfigurations {
  public:
    UserConfigurations(runtime::BlockingPool& blocking, store::UserStore& users,
                       store::ConfigurationStore& configurations,
                       provisioning::UserProvisioning& provisioning)
        : blocking_(blocking),
          users_(users),
          configurations_(configurations),
          provisioning_(provisioning) {}

    // The stored modules of `email`; an empty array when the user has no document.
    runtime::Awaitable<json::Json> stored(const std::string& email) const;
    // Stores `modules` in place of what is stored (PUT), or merged into it (PATCH, `merge`).
    // False when the user has no document and cannot be provisioned. Shared: the blocking
    // call may outlive the caller (see BlockingPool::run).
    runtime::Awaitable<bool> save(const std::string& email,
                                  const std::shared_ptr<const json::Json>& modules,
                                  bool merge) const;

  private:
    runtime::BlockingPool& blocking_;
    store::UserStore& users_;
    store::ConfigurationStore& configurations_;
    provisioning::UserProvisioning& provisioning_;
};

}  // namespace twake::services
