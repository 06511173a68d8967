#pragma once

// Task `reindex-calendar-events` (docs/reference/search.md §8): the events index rebuilt
// from the DAV server, calendar home by calendar home (every user's personal calendars, then
// every resource's calendar), at most `eventsPerSecond` objects a second. A home's documents
// that were not rewritten are removed only once all of it was read and written, so searches
// keep finding its events meanwhile and a failed read removes nothing.

#include <cstdint>
#include <string>
#include <vector>

#include "worker/dav/dav_client.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/search/reindex_writer.hpp"
#include "worker/store/resource_store.hpp"
#include "worker/store/user_store.hpp"
#include "worker/tasks/task.hpp"

namespace twake::tasks {

struct ReindexOptions {
    int events_per_second = 100;
    int calendars_concurrency = 1;  // calendars of one home read at once
};

// A calendar home to rebuild: a user's (read as the user) or a resource's (read with its
// domain's technical token).
struct CalendarHome {
    std::string id;
    std::string user;       // the user's address; empty for a resource
    std::string domain_id;  // the resource's domain
    bool deleted = false;   // a deleted resource: its documents only go
};

class ReindexEventsTask : public Task {
  public:
    static constexpr const char* kType = "reindex-calendar-events";

    // All outlive the task.
    ReindexEventsTask(runtime::BlockingPool& blocking, store::UserStore& users,
                      store::ResourceStore& resources, dav::DavClient& dav,
                      const search::ReindexWriter& writer, ReindexOptions options)
        : blocking_(blocking),
          users_(users),
          resources_(resources),
          dav_(dav),
          writer_(writer),
          options_(options) {}

    std::string type() const override { return kType; }
    // Ends Partial when a home, a calendar or an object failed; throws when the homes cannot
    // be listed.
    runtime::Awaitable<TaskResult> run(TaskControl& control) override;
    // {"processedEventCount", "failedEventCount",
    //  "runningOptions": {"eventsPerSecond", "calendarsConcurrency"}}
    std::optional<json::Json> details() const override;

  private:
    // One home: its calendars read, its objects written at the task's pace, then pruned.
    runtime::Awaitable<void> rebuild(const CalendarHome& home, TaskControl& control);
    // Waits, when this second's budget is spent, for the next second; returns how many
    // objects may go now (at most `wanted`).
    runtime::Awaitable<std::size_t> budget(std::size_t wanted);

    runtime::BlockingPool& blocking_;
    store::UserStore& users_;
    store::ResourceStore& resources_;
    dav::DavClient& dav_;
    const search::ReindexWriter& writer_;
    ReindexOptions options_;
    // Updated on the event loop.
    int64_t processed_ = 0;
    int64_t failed_ = 0;
    bool home_failed_ = false;  // a home, or one of its calendars, that could not be handled
    std::chrono::steady_clock::time_point second_start_{};
    std::size_t spent_this_second_ = 0;
};

}  // namespace twake::tasks
