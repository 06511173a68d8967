#include "worker/tasks/task_report.hpp"

#include "shared/text/utc_time.hpp"

#include <array>
#include <cstdio>
#include <ctime>

#include "shared/identity/address.hpp"

namespace twake::tasks {

namespace {

constexpr std::array<std::pair<TaskStatus, std::string_view>, 6> kStatusNames{{
    {TaskStatus::Waiting, "waiting"},
    {TaskStatus::InProgress, "inProgress"},
    {TaskStatus::CanceledRequested, "canceledRequested"},
    {TaskStatus::Completed, "completed"},
    {TaskStatus::Failed, "failed"},
    {TaskStatus::Canceled, "canceled"},
}};

void set_date(json::Json& o, const char* key, const std::optional<Clock::time_point>& when) {
    if (when) {
        o.set(key, format_report_date(*when));
    }
}

}  // namespace

std::string_view status_name(TaskStatus status) {
    for (const auto& [s, name] : kStatusNames) {
        if (s == status) {
            return name;
        }
    }
    return "unknown";
}

std::optional<TaskStatus> parse_status(std::string_view text) {
    std::string wanted = identity::lower(text);
    for (const auto& [s, name] : kStatusNames) {
        if (identity::lower(name) == wanted) {
            return s;
        }
    }
    return std::nullopt;
}

bool is_finished(TaskStatus status) {
    return status == TaskStatus::Completed || status == TaskStatus::Failed ||
           status == TaskStatus::Canceled;
}

std::string format_report_date(Clock::time_point when) {
    auto [seconds, millis] = text::utc_parts(when);
    char frac[8];
    std::snprintf(frac, sizeof frac, ".%03d", millis);
    return seconds + frac + "+0000";
}

std::string format_instant(Clock::time_point when) {
    auto [seconds, millis] = text::utc_parts(when);
    if (millis == 0) {
        return seconds + "Z";
    }
    char frac[8];
    std::snprintf(frac, sizeof frac, ".%03d", millis);
    return seconds + frac + "Z";
}

json::Json report_json(const TaskReport& report) {
    json::Json o = json::Json::object();
    o.set("taskId", report.id);
    o.set("type", report.type);
    o.set("status", status_name(report.status));
    o.set("submittedFrom", report.submitted_from);
    if (report.executed_on) {
        o.set("executedOn", *report.executed_on);
    } else {
        o.set_null("executedOn");
    }
    if (report.cancelled_from) {
        o.set("cancelledFrom", *report.cancelled_from);
    } else {
        o.set_null("cancelledFrom");
    }
    if (report.details) {
        json::Json info = json::Json::object();
        info.set("type", report.type);
        info.set("timestamp", format_instant(report.taken));
        for (const cJSON* member = report.details->get() ? report.details->get()->child : nullptr;
             member != nullptr; member = member->next) {
            if (member->string != nullptr) {
                info.set(member->string, json::Json::copy_of(member));
            }
        }
        o.set("additionalInformation", std::move(info));
    } else {
        o.set_null("additionalInformation");
    }
    o.set("submitDate", format_report_date(report.submitted));
    set_date(o, "startedDate", report.started);
    set_date(o, "completedDate", report.completed);
    set_date(o, "canceledDate", report.canceled);
    set_date(o, "failedDate", report.failed);
    return o;
}

}  // namespace twake::tasks
