#include <gtest/gtest.h>

#include "worker/http/uri.hpp"
#include "worker/tasks/task_query.hpp"

using namespace std::chrono;
using twake::http::Target;
using twake::tasks::Clock;
using twake::tasks::TaskReport;
using twake::tasks::TaskStatus;

namespace {

Clock::time_point at(int64_t seconds_after) {
    return Clock::time_point(seconds(1748772000)) + seconds(seconds_after);  // 2025-06-01T10:00Z
}

// As the route reads a query: decoded, the first value of a repeated parameter.
twake::tasks::TaskFilter filter(const std::string& query) {
    auto target = Target::parse("/tasks?" + query);
    twake::tasks::QueryParams params;
    for (const auto& [name, value] : target->query()) {
        params.emplace(name, value);
    }
    return twake::tasks::parse_task_filter(params);
}

TaskReport report(std::string id, std::string type, TaskStatus status, int64_t submitted) {
    TaskReport r;
    r.id = std::move(id);
    r.type = std::move(type);
    r.status = status;
    r.submitted = at(submitted);
    if (status != TaskStatus::Waiting) {
        r.started = at(submitted + 1);
    }
    if (status == TaskStatus::Completed) {
        r.completed = at(submitted + 2);
    }
    if (status == TaskStatus::Failed) {
        r.failed = at(submitted + 2);
    }
    return r;
}

std::vector<std::string> ids(const std::vector<TaskReport>& reports) {
    std::vector<std::string> out;
    for (const auto& r : reports) {
        out.push_back(r.id);
    }
    return out;
}

// Newest first, as the manager lists them.
std::vector<TaskReport> sample() {
    std::vector<TaskReport> v;
    v.push_back(report("e", "b", TaskStatus::Waiting, 40));
    v.push_back(report("d", "a", TaskStatus::InProgress, 30));
    v.push_back(report("c", "a", TaskStatus::Failed, 20));
    v.push_back(report("b", "b", TaskStatus::Completed, 10));
    v.push_back(report("a", "a", TaskStatus::Completed, 0));
    return v;
}

}  // namespace

TEST(TaskQuery, TaskIds) {
    EXPECT_EQ(twake::tasks::parse_task_id("3294A976-ce63-491e-bd52-1b6f465ed7a2"),
              "3294a976-ce63-491e-bd52-1b6f465ed7a2");
    EXPECT_EQ(twake::tasks::parse_task_id("3294a976ce63491ebd521b6f465ed7a2"), std::nullopt);
    EXPECT_EQ(twake::tasks::parse_task_id("3294a976-ce63-491e-bd52-1b6f465ed7ag"), std::nullopt);
    EXPECT_EQ(twake::tasks::parse_task_id("not-a-uuid"), std::nullopt);
    EXPECT_EQ(twake::tasks::parse_task_id(""), std::nullopt);
}

TEST(TaskQuery, OffsetDateTimes) {
    using twake::tasks::parse_offset_date_time;
    EXPECT_EQ(parse_offset_date_time("2025-06-01T10:00:00Z"), at(0));
    EXPECT_EQ(parse_offset_date_time("2025-06-01T12:00:00+02:00"), at(0));
    EXPECT_EQ(parse_offset_date_time("2025-06-01T12:00:00+0200"), at(0));
    EXPECT_EQ(parse_offset_date_time("2025-06-01T12:00+02"), at(0));
    EXPECT_EQ(parse_offset_date_time("2025-06-01T08:30:00-01:30"), at(0));
    // An unencoded '+' of a query string is decoded as a space.
    EXPECT_EQ(parse_offset_date_time("2025-06-01T12:00:00 02:00"), at(0));
    EXPECT_EQ(parse_offset_date_time("2025-06-01T10:00:00.5Z"), at(0) + milliseconds(500));
    EXPECT_EQ(parse_offset_date_time("2025-06-01T10:00:00.000001Z"), at(0) + microseconds(1));
    EXPECT_EQ(parse_offset_date_time("2024-02-29T00:00:00Z").has_value(), true);
    for (const char* bad :
         {"", "2025-06-01", "2025-06-01T10:00:00", "2025-06-01T10:00:00+", "2025-02-30T10:00:00Z",
          "2025-06-01T24:00:00Z", "2025-06-01T10:00:00.Z", "2025-06-01T10:00:00Zjunk", "yesterday",
          "2025-6-1T10:00:00Z", "2025-06-01T10:00:00+25:00"}) {
        EXPECT_EQ(parse_offset_date_time(bad), std::nullopt) << bad;
    }
}

TEST(TaskQuery, NoFilterKeepsEverythingInOrder) {
    EXPECT_EQ(ids(twake::tasks::select_reports(sample(), filter(""))),
              (std::vector<std::string>{"e", "d", "c", "b", "a"}));
}

TEST(TaskQuery, StatusAndType) {
    EXPECT_EQ(ids(twake::tasks::select_reports(sample(), filter("status=COMPLETED"))),
              (std::vector<std::string>{"b", "a"}));
    EXPECT_EQ(ids(twake::tasks::select_reports(sample(), filter("type=a"))),
              (std::vector<std::string>{"d", "c", "a"}));
    EXPECT_EQ(ids(twake::tasks::select_reports(sample(), filter("type=a&status=completed"))),
              (std::vector<std::string>{"a"}));
}

TEST(TaskQuery, DatesCompareStrictlyAndNeedTheDate) {
    auto select = [](const std::string& q) {
        return ids(twake::tasks::select_reports(sample(), filter(q)));
    };
    EXPECT_EQ(select("submittedBefore=2025-06-01T10:00:20Z"), (std::vector<std::string>{"b", "a"}));
    EXPECT_EQ(select("submittedAfter=2025-06-01T10:00:20Z"), (std::vector<std::string>{"e", "d"}));
    // Waiting tasks have no start date.
    EXPECT_EQ(select("startedAfter=2025-06-01T10:00:00Z"),
              (std::vector<std::string>{"d", "c", "b", "a"}));
    EXPECT_EQ(select("completedAfter=2025-06-01T10:00:02Z"), (std::vector<std::string>{"b"}));
    EXPECT_EQ(select("failedBefore=2025-06-01T12:00:30%2B02:00&failedAfter=2025-06-01T10:00:00Z"),
              (std::vector<std::string>{"c"}));
}

TEST(TaskQuery, OffsetAndLimitApplyAfterTheFilters) {
    auto select = [](const std::string& q) {
        return ids(twake::tasks::select_reports(sample(), filter(q)));
    };
    EXPECT_EQ(select("offset=1&limit=2"), (std::vector<std::string>{"d", "c"}));
    EXPECT_EQ(select("type=a&offset=1"), (std::vector<std::string>{"c", "a"}));
    EXPECT_EQ(select("type=a&offset=1&limit=1"), (std::vector<std::string>{"c"}));
    EXPECT_EQ(select("limit=0"), (std::vector<std::string>{}));
    EXPECT_EQ(select("offset=10"), (std::vector<std::string>{}));
}

TEST(TaskQuery, InvalidFilters) {
    for (const char* bad :
         {"status=running", "status=", "type=", "submittedBefore=yesterday",
          "startedAfter=2025-06-01T10:00:00", "offset=-1", "limit=abc", "limit=1.5", "offset="}) {
        EXPECT_THROW(filter(bad), std::invalid_argument) << bad;
    }
}

TEST(TaskQuery, AwaitTimeouts) {
    using twake::tasks::parse_await_timeout;
    EXPECT_EQ(parse_await_timeout(std::nullopt), hours(24 * 365));
    EXPECT_EQ(parse_await_timeout(""), hours(24 * 365));
    EXPECT_EQ(parse_await_timeout("5"), seconds(5));
    EXPECT_EQ(parse_await_timeout("500ms"), milliseconds(500));
    EXPECT_EQ(parse_await_timeout("2minutes"), minutes(2));
    EXPECT_EQ(parse_await_timeout("365d"), hours(24 * 365));
    EXPECT_EQ(parse_await_timeout("1y"), hours(24 * 365));
    EXPECT_EQ(parse_await_timeout("0"), milliseconds(0));
    for (const char* bad : {"366d", "2y", "-1", "abc", "5 parsecs", "1.5s"}) {
        EXPECT_THROW(parse_await_timeout(std::string(bad)), std::invalid_argument) << bad;
    }
}
