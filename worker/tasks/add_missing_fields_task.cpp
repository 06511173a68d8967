#include "worker/tasks/add_missing_fields_task.hpp"

namespace twake::tasks {

namespace {

// Documents per blocking call: small enough for the deadline and for live counters.
constexpr int kBatchSize = 200;
constexpr std::chrono::milliseconds kBatchDeadline{60000};

}  // namespace

runtime::Awaitable<TaskResult> AddMissingFieldsTask::run(TaskControl& control) {
    std::string after;
    while (!control.cancel_requested()) {
        store::UserStore* users = &users_;
        auto next = [users, after] { return users->add_missing_fields(after, kBatchSize); };
        store::MissingFieldsBatch batch = co_await blocking_.run(next, kBatchDeadline);
        processed_ += batch.processed;
        upgraded_ += batch.upgraded;
        errors_ += batch.errors;
        if (batch.exhausted || !batch.last_id) {
            break;
        }
        after = *batch.last_id;
    }
    co_return errors_ > 0 ? TaskResult::Partial : TaskResult::Completed;
}

std::optional<json::Json> AddMissingFieldsTask::details() const {
    json::Json o = json::Json::object();
    o.set("processedUsers", static_cast<double>(processed_));
    o.set("upgradedUsers", static_cast<double>(upgraded_));
    o.set("errorCount", static_cast<double>(errors_));
    return o;
}

}  // namespace twake::tasks
