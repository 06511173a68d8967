#pragma once

// Task `schedule-alarms` (docs/reference/alarms.md §5): every calendar object of every user's
// default calendar list gets the rows of its next alarm that are missing, at most
// `eventsPerSecond` objects a second, so that alarms lost before the rows existed (a broker
// outage, a restore, a first installation) go out.

#include <cstdint>
#include <memory>
#include <vector>

#include "worker/dav/dav_client.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/services/alarm_rows.hpp"
#include "worker/store/user_store.hpp"
#include "worker/tasks/task.hpp"

namespace twake::tasks {

// The objects of one user, read from esn-sabre.
struct UserObjects {
    std::shared_ptr<const store::User> owner;
    std::vector<dav::ReportedObject> objects;
    int64_t failed_sources = 0;  // the user's listing, or calendars, that could not be read
};

class ScheduleAlarmsTask : public Task {
  public:
    static constexpr const char* kType = "schedule-alarms";

    ScheduleAlarmsTask(runtime::BlockingPool& blocking, store::UserStore& users,
                       dav::DavClient& dav, const services::AlarmRows& alarm_rows,
                       int events_per_second)
        : blocking_(blocking),
          users_(users),
          dav_(dav),
          alarm_rows_(alarm_rows),
          events_per_second_(events_per_second) {}

    std::string type() const override { return kType; }
    // Reads a few users at a time and handles that second's objects in one blocking call a
    // second; ends Partial when a user, a calendar or an object failed.
    runtime::Awaitable<TaskResult> run(TaskControl& control) override;
    // {"processedEventCount", "failedEventCount", "runningOptions": {"eventsPerSecond"}}
    std::optional<json::Json> details() const override;

  private:
    // The objects of `users` (at most a few), read in parallel on the blocking pool.
    runtime::Awaitable<std::vector<UserObjects>> read_users(const std::vector<store::User>& users);

    runtime::BlockingPool& blocking_;
    store::UserStore& users_;
    dav::DavClient& dav_;
    const services::AlarmRows& alarm_rows_;
    int events_per_second_;
    // Updated on the event loop.
    int64_t processed_ = 0;
    int64_t failed_ = 0;
    int64_t failed_sources_ = 0;
};

}  // namespace twake::tasks
