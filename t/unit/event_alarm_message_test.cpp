// Reading the alarm messages of esn-sabre (worker/amqp/event_alarm.hpp,
// docs/reference/alarms.md §3).

#include <gtest/gtest.h>

#include "worker/amqp/event_alarm.hpp"

namespace {

using twake::amqp::parse_alarm_message;
using twake::amqp::PoisonMessage;

const char* kPath = "/calendars/6650a1b2c3d4e5f601234567/6650a1b2c3d4e5f601234567/e1.ics";

TEST(EventAlarmMessage, ReadsTheRawEvent) {
    std::string body = std::string("{\"eventPath\":\"") + kPath +
                       "\",\"rawEvent\":\"BEGIN:VCALENDAR\\r\\nBEGIN:VEVENT\\r\\nUID:e1\\r\\n"
                       "DTSTART:20250601T080000Z\\r\\nBEGIN:VALARM\\r\\nACTION:DISPLAY\\r\\n"
                       "TRIGGER:-PT5M\\r\\nEND:VALARM\\r\\nEND:VEVENT\\r\\nEND:VCALENDAR\\r\\n\"}";
    auto m = parse_alarm_message(body);
    EXPECT_EQ(m.home_id, "6650a1b2c3d4e5f601234567");
    EXPECT_EQ(m.event_uid, "e1");
    EXPECT_TRUE(m.has_alarm);
    ASSERT_TRUE(m.raw_event);
}

TEST(EventAlarmMessage, ReadsTheJcalWithoutRawEvent) {
    std::string body = std::string("{\"eventPath\":\"") + kPath +
                       "\",\"event\":[\"vcalendar\",[],[[\"vevent\",[[\"uid\",{},\"text\",\"e2\"]],"
                       "[[\"valarm\",[],[]]]]]]}";
    auto m = parse_alarm_message(body);
    EXPECT_EQ(m.event_uid, "e2");
    EXPECT_TRUE(m.has_alarm);
    EXPECT_FALSE(m.raw_event);
    auto without = parse_alarm_message(std::string("{\"eventPath\":\"") + kPath +
                                       "\",\"event\":[\"vcalendar\",[],[[\"vevent\",[],[]]]]}");
    EXPECT_FALSE(without.has_alarm);
}

TEST(EventAlarmMessage, RefusesOtherPaths) {
    EXPECT_THROW(parse_alarm_message("[]"), PoisonMessage);
    EXPECT_THROW(parse_alarm_message("{\"eventPath\":\"/addressbooks/a/b/c.vcf\"}"), PoisonMessage);
    EXPECT_THROW(parse_alarm_message("{}"), PoisonMessage);
}

}  // namespace
