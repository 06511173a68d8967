#include <gtest/gtest.h>

#include "worker/tasks/task_report.hpp"

using namespace std::chrono;
using twake::tasks::Clock;
using twake::tasks::TaskReport;
using twake::tasks::TaskStatus;

namespace {

// 2025-06-01T10:00:00Z
Clock::time_point at(int64_t ms_after) {
    return Clock::time_point(seconds(1748772000)) + milliseconds(ms_after);
}

}  // namespace

TEST(TaskReport, DatesAsJamesPrintsThem) {
    EXPECT_EQ(twake::tasks::format_report_date(at(412)), "2025-06-01T10:00:00.412+0000");
    EXPECT_EQ(twake::tasks::format_report_date(at(0)), "2025-06-01T10:00:00.000+0000");
    EXPECT_EQ(twake::tasks::format_report_date(at(1007)), "2025-06-01T10:00:01.007+0000");
}

TEST(TaskReport, InstantsAsJavaPrintsThem) {
    EXPECT_EQ(twake::tasks::format_instant(at(1123)), "2025-06-01T10:00:01.123Z");
    EXPECT_EQ(twake::tasks::format_instant(at(0)), "2025-06-01T10:00:00Z");
    EXPECT_EQ(twake::tasks::format_instant(at(50)), "2025-06-01T10:00:00.050Z");
    // Sub-millisecond parts are not printed.
    EXPECT_EQ(twake::tasks::format_instant(at(0) + microseconds(999)), "2025-06-01T10:00:00Z");
}

TEST(TaskReport, StatusNames) {
    EXPECT_EQ(twake::tasks::status_name(TaskStatus::InProgress), "inProgress");
    EXPECT_EQ(twake::tasks::status_name(TaskStatus::CanceledRequested), "canceledRequested");
    EXPECT_EQ(twake::tasks::parse_status("INPROGRESS"), TaskStatus::InProgress);
    EXPECT_EQ(twake::tasks::parse_status("Completed"), TaskStatus::Completed);
    EXPECT_EQ(twake::tasks::parse_status("cancelled"), std::nullopt);
    EXPECT_EQ(twake::tasks::parse_status(""), std::nullopt);
    EXPECT_TRUE(twake::tasks::is_finished(TaskStatus::Canceled));
    EXPECT_FALSE(twake::tasks::is_finished(TaskStatus::CanceledRequested));
}

TEST(TaskReport, CompletedReportJson) {
    TaskReport r;
    r.id = "3294a976-ce63-491e-bd52-1b6f465ed7a2";
    r.type = "import-ldap-users";
    r.status = TaskStatus::Completed;
    r.submitted_from = "worker-1";
    r.executed_on = "worker-1";
    twake::json::Json details = twake::json::Json::object();
    details.set("processedUserCount", 12);
    details.set("failedUserCount", 0);
    r.details = std::move(details);
    r.taken = at(1123);
    r.submitted = at(412);
    r.started = at(415);
    r.completed = at(1123);
    EXPECT_EQ(twake::tasks::report_json(r).dump(),
              R"({"taskId":"3294a976-ce63-491e-bd52-1b6f465ed7a2","type":"import-ldap-users",)"
              R"("status":"completed","submittedFrom":"worker-1","executedOn":"worker-1",)"
              R"("cancelledFrom":null,"additionalInformation":{"type":"import-ldap-users",)"
              R"("timestamp":"2025-06-01T10:00:01.123Z","processedUserCount":12,)"
              R"("failedUserCount":0},"submitDate":"2025-06-01T10:00:00.412+0000",)"
              R"("startedDate":"2025-06-01T10:00:00.415+0000",)"
              R"("completedDate":"2025-06-01T10:00:01.123+0000"})");
}

TEST(TaskReport, WaitingReportOmitsUnsetDatesAndHasNullInformation) {
    TaskReport r;
    r.id = "6d2b6c0c-9c6a-4f4f-9c2e-1b7d2b0b0a1a";
    r.type = "noop";
    r.submitted_from = "h";
    r.submitted = at(0);
    EXPECT_EQ(twake::tasks::report_json(r).dump(),
              R"({"taskId":"6d2b6c0c-9c6a-4f4f-9c2e-1b7d2b0b0a1a","type":"noop",)"
              R"("status":"waiting","submittedFrom":"h","executedOn":null,"cancelledFrom":null,)"
              R"("additionalInformation":null,"submitDate":"2025-06-01T10:00:00.000+0000"})");
}

TEST(TaskReport, CanceledAndFailedDates) {
    TaskReport r;
    r.id = "x";
    r.type = "t";
    r.status = TaskStatus::Canceled;
    r.submitted_from = "h";
    r.cancelled_from = "h";
    r.submitted = at(0);
    r.canceled = at(5);
    auto json = twake::tasks::report_json(r).dump();
    EXPECT_NE(json.find(R"("cancelledFrom":"h")"), std::string::npos);
    EXPECT_NE(json.find(R"("canceledDate":"2025-06-01T10:00:00.005+0000")"), std::string::npos);
    EXPECT_EQ(json.find("failedDate"), std::string::npos);
    EXPECT_EQ(json.find("startedDate"), std::string::npos);
}
