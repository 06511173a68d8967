#pragma once

// A long job run by the TaskManager (docs/webadmin.md §6): the LDAP import, the users' migration,
// reindexing... One implementation per task type.

#include <atomic>
#include <optional>
#include <string>

#include "shared/json/json.hpp"
#include "worker/runtime/awaitable.hpp"

namespace twake::tasks {

// How a run that did not throw ended.
enum class TaskResult {
    Completed,
    Partial,  // some items failed: the task ends `failed` (docs/webadmin.md §6)
};

// What the manager hands a running task. The flag may be read from any thread, so a task
// running on a thread of its own can poll it too.
class TaskControl {
  public:
    bool cancel_requested() const { return cancel_requested_.load(std::memory_order_relaxed); }
    void request_cancel() { cancel_requested_.store(true, std::memory_order_relaxed); }

  private:
    std::atomic<bool> cancel_requested_{false};
};

class Task {
  public:
    virtual ~Task() = default;

    // The task type of the reports ("add-missing-fields").
    virtual std::string type() const = 0;

    // Runs on the worker's event loop and must never block it: blocking work goes through
    // runtime::BlockingPool::run (or a thread the task owns). Should poll
    // `control.cancel_requested()` between items and return early when it is set. Throwing
    // ends the task `failed`.
    virtual runtime::Awaitable<TaskResult> run(TaskControl& control) = 0;

    // The type-specific members of `additionalInformation` (an object), read on the event loop
    // at any time, also while the task runs; nullopt when the task has none. The manager adds
    // `type` and `timestamp`.
    virtual std::optional<json::Json> details() const { return std::nullopt; }
};

}  // namespace twake::tasks
