#pragma once

// A task's execution report and its JSON (docs/webadmin.md §6), and the two date formats of it.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "shared/json/json.hpp"

namespace twake::tasks {

using Clock = std::chrono::system_clock;

enum class TaskStatus { Waiting, InProgress, CanceledRequested, Completed, Failed, Canceled };

// "waiting", "inProgress", "canceledRequested", "completed", "failed", "canceled".
std::string_view status_name(TaskStatus status);
// A status name, case-insensitive; nullopt when unknown.
std::optional<TaskStatus> parse_status(std::string_view text);
bool is_finished(TaskStatus status);

// A snapshot of one task, taken on the event loop.
struct TaskReport {
    std::string id;
    std::string type;
    TaskStatus status = TaskStatus::Waiting;
    std::string submitted_from;
    std::optional<std::string> executed_on;
    std::optional<std::string> cancelled_from;
    // The task's own members of additionalInformation; nullopt: additionalInformation is null.
    std::optional<json::Json> details;
    Clock::time_point taken;  // additionalInformation.timestamp
    Clock::time_point submitted;
    std::optional<Clock::time_point> started;
    std::optional<Clock::time_point> completed;
    std::optional<Clock::time_point> canceled;
    std::optional<Clock::time_point> failed;
};

// The report's dates: "2025-06-01T10:00:00.412+0000" (James's yyyy-MM-dd'T'HH:mm:ss.SSSZ, UTC).
std::string format_report_date(Clock::time_point when);
// additionalInformation.timestamp: an ISO-8601 instant as Java's Instant prints it at
// millisecond precision: "2025-06-01T10:00:01.123Z", "2025-11-24T10:15:30Z" on a whole second.
std::string format_instant(Clock::time_point when);

// The report's JSON; absent dates are omitted, `additionalInformation` is
// {"type", "timestamp", <details>...} or null.
json::Json report_json(const TaskReport& report);

}  // namespace twake::tasks
