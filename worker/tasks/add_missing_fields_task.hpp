#pragma once

// Task `add-missing-fields` (docs/webadmin.md §7, docs/reference/mongodb.md §10): gives legacy
// OpenPaaS user documents the `email` and `firstnames` fields the worker relies on.

#include "worker/runtime/blocking_pool.hpp"
#include "worker/store/user_store.hpp"
#include "worker/tasks/task.hpp"

namespace twake::tasks {

class AddMissingFieldsTask : public Task {
  public:
    static constexpr const char* kType = "add-missing-fields";

    AddMissingFieldsTask(runtime::BlockingPool& blocking, store::UserStore& users)
        : blocking_(blocking), users_(users) {}

    std::string type() const override { return kType; }
    // Batches of users, each one blocking call; ends Partial when an update failed.
    runtime::Awaitable<TaskResult> run(TaskControl& control) override;
    // {"processedUsers", "upgradedUsers", "errorCount"}
    std::optional<json::Json> details() const override;

  private:
    runtime::BlockingPool& blocking_;
    store::UserStore& users_;
    // Updated on the event loop between batches.
    int64_t processed_ = 0;
    int64_t upgraded_ = 0;
    int64_t errors_ = 0;
};

}  // namespace twake::tasks
