#pragma once

// Task `import-ldap-users` (docs/webadmin.md §7.3): every LDAP user entry with an address becomes,
// or updates, a registered user (names from cn and sn), at most `usersPerSecond` entries a second
// so that MongoDB and the directory keep serving logins meanwhile.

#include "worker/ldap/ldap_directory.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/store/user_store.hpp"
#include "worker/tasks/task.hpp"

namespace twake::tasks {

class ImportLdapUsersTask : public Task {
  public:
    static constexpr const char* kType = "import-ldap-users";

    ImportLdapUsersTask(runtime::BlockingPool& blocking, ldap::LdapDirectory& directory,
                        store::UserStore& users, int users_per_second)
        : blocking_(blocking),
          directory_(directory),
          users_(users),
          users_per_second_(users_per_second) {}

    std::string type() const override { return kType; }
    // One blocking call per second, for that second's entries; ends Partial when an entry
    // failed. A failed LDAP search throws (the task fails).
    runtime::Awaitable<TaskResult> run(TaskControl& control) override;
    // {"processedUserCount", "failedUserCount", "runningOptions": {"usersPerSecond"}}
    std::optional<json::Json> details() const override;

  private:
    runtime::BlockingPool& blocking_;
    ldap::LdapDirectory& directory_;
    store::UserStore& users_;
    int users_per_second_;
    // Updated on the event loop between seconds.
    int64_t processed_ = 0;
    int64_t failed_ = 0;
};

}  // namespace twake::tasks
