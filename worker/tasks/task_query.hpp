#pragma once

// What the /tasks routes accept (docs/webadmin.md §6): task ids, the filters of GET /tasks, the
// timeout of GET /tasks/{id}/await. Pure functions; the routes turn their errors into 400s.

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "worker/errors/invalid_input.hpp"
#include "worker/tasks/task_report.hpp"

namespace twake::tasks {

// A UUID in its 8-4-4-4-12 hex form, any case; returns it lower-cased (ids are generated
// lower-case), or nullopt.
std::optional<std::string> parse_task_id(std::string_view text);

// An ISO-8601 date-time with an offset: 2025-06-01T10:00:00Z, 2025-06-01T12:00:00.5+02:00,
// +0200 or +02 (seconds and fraction optional). An unencoded '+' of a query string arrives as
// a space: a space where the offset's sign belongs is read as '+'. Nullopt when invalid.
std::optional<Clock::time_point> parse_offset_date_time(std::string_view text);

// The filters of GET /tasks. Dates compare strictly; a task lacking the date never matches a
// filter on it.
struct TaskFilter {
    std::optional<TaskStatus> status;
    std::optional<std::string> type;
    std::optional<Clock::time_point> submitted_before, submitted_after;
    std::optional<Clock::time_point> started_before, started_after;
    std::optional<Clock::time_point> completed_before, completed_after;
    std::optional<Clock::time_point> failed_before, failed_after;
    std::size_t offset = 0;
    std::optional<std::size_t> limit;

    bool matches(const TaskReport& report) const;
};

// A query's parameters by decoded name: the first value of a repeated one. The routes build it
// from the request target, so that the tasks need not know HTTP.
using QueryParams = std::map<std::string, std::string, std::less<>>;

// Throws errors::InvalidInput naming the parameter at fault.
TaskFilter parse_task_filter(const QueryParams& params);

// Keeps the reports that match, then skips `offset` and keeps at most `limit` (the order of
// `reports` is kept: the manager lists newest first).
std::vector<TaskReport> select_reports(std::vector<TaskReport> reports, const TaskFilter& filter);

// The longest (and default) wait of GET /tasks/{id}/await.
inline constexpr std::chrono::milliseconds kMaxAwait = std::chrono::hours(24 * 365);

// The `timeout` of GET /tasks/{id}/await: a duration of docs/webadmin.md §6 (a bare number is in
// seconds); absent or empty: kMaxAwait. Throws errors::InvalidInput when it is not a duration
// or exceeds kMaxAwait.
std::chrono::milliseconds parse_await_timeout(const std::optional<std::string>& text);

}  // namespace twake::tasks
