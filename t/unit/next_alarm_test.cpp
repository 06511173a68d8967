// The next alarm of a calendar object for one user (worker/alarms/next_alarm.hpp,
// docs/reference/alarms.md §2).

#include <gtest/gtest.h>

#include <string>

#include "worker/alarms/next_alarm.hpp"
#include "worker/ical/calendar.hpp"

namespace {

using namespace std::chrono;
using twake::alarms::AlarmAction;
using twake::alarms::next_alarm;
using twake::alarms::NextAlarm;

sys_seconds at(long long epoch) {
    return sys_seconds(seconds(epoch));
}

// 2025-06-01T08:00:00Z
constexpr long long kJune1At8 = 1748764800;

const std::string kParis =
    "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n"
    "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    "END:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nTZOFFSETFROM:+0100\r\n"
    "TZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n"
    "END:VTIMEZONE\r\n";

const std::string kAliceAlarm =
    "BEGIN:VALARM\r\nACTION:EMAIL\r\nTRIGGER:-PT15M\r\nATTENDEE:mailto:alice@example.com\r\n"
    "SUMMARY:x\r\nDESCRIPTION:x\r\nEND:VALARM\r\n";

std::string calendar(const std::string& events, const std::string& zones = "") {
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\n" + zones + events +
           "END:VCALENDAR\r\n";
}

// Alice's own event (no attendee) with `lines` (DTSTART, RRULE…) and `alarms`.
std::string event(const std::string& lines, const std::string& alarms = kAliceAlarm) {
    return "BEGIN:VEVENT\r\nUID:e1\r\nDTSTAMP:20250101T000000Z\r\nSUMMARY:Meeting\r\n" + lines +
           alarms + "END:VEVENT\r\n";
}

std::optional<NextAlarm> next(const std::string& ics, long long now, long long after = 0,
                              const std::string& user = "alice@example.com") {
    auto parsed = twake::ical::parse_calendar(ics);
    return next_alarm(parsed.get(), user, at(now), at(after == 0 ? now : after));
}

TEST(NextAlarm, RelativeToStart) {
    auto a = next(calendar(event("DTSTART:20250601T080000Z\r\nDTEND:20250601T090000Z\r\n")),
                  kJune1At8 - 86400);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->alarm_time, at(kJune1At8 - 900));
    EXPECT_EQ(a->event_start, at(kJune1At8));
    EXPECT_EQ(a->action, AlarmAction::Email);
    EXPECT_EQ(a->recipients, std::vector<std::string>{"alice@example.com"});
    EXPECT_FALSE(a->recurring);
    EXPECT_FALSE(a->recurrence_id);
}

TEST(NextAlarm, RelativeToEndWithDuration) {
    std::string alarm =
        "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER;RELATED=END:PT5M\r\nDESCRIPTION:x\r\n"
        "END:VALARM\r\n";
    auto a = next(calendar(event("DTSTART:20250601T080000Z\r\nDURATION:PT1H\r\n", alarm)),
                  kJune1At8 - 86400);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->alarm_time, at(kJune1At8 + 3600 + 300));
    EXPECT_EQ(a->action, AlarmAction::Display);
    EXPECT_TRUE(a->recipients.empty());
    EXPECT_EQ(twake::alarms::row_recipients(*a, "Alice@Example.com"),
              std::vector<std::string>{"alice@example.com"});
}

TEST(NextAlarm, AbsoluteTrigger) {
    std::string alarm =
        "BEGIN:VALARM\r\nACTION:EMAIL\r\nTRIGGER;VALUE=DATE-TIME:20250531T180000Z\r\n"
        "ATTENDEE:mailto:alice@example.com\r\nEND:VALARM\r\n";
    auto a = next(calendar(event("DTSTART:20250601T080000Z\r\n", alarm)), kJune1At8 - 86400);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->alarm_time, at(kJune1At8 - 14 * 3600));
}

TEST(NextAlarm, ZonedStartFollowsSummerAndWinterTime) {
    auto summer = next(calendar(event("DTSTART;TZID=Europe/Paris:20250601T100000\r\n"), kParis),
                       kJune1At8 - 86400);
    ASSERT_TRUE(summer);
    EXPECT_EQ(summer->alarm_time, at(kJune1At8 - 900));  // 10:00 Paris = 08:00Z
    auto winter =
        next(calendar(event("DTSTART;TZID=Europe/Paris:20251201T100000\r\n"), kParis), kJune1At8);
    ASSERT_TRUE(winter);
    EXPECT_EQ(winter->event_start, at(1764579600));  // 09:00Z
}

TEST(NextAlarm, PastEventAndPassedAlarmGiveNothing) {
    std::string ics = calendar(event("DTSTART:20250601T080000Z\r\n"));
    EXPECT_FALSE(next(ics, kJune1At8 + 1));
    // The event is still to come but its alarm fired already.
    EXPECT_FALSE(next(ics, kJune1At8 - 600));
    EXPECT_FALSE(next(ics, kJune1At8 - 3600, kJune1At8 - 900));
}

TEST(NextAlarm, RecurringGivesTheNextOccurrence) {
    std::string ics =
        calendar(event("DTSTART;TZID=Europe/Paris:20250101T100000\r\n"
                       "RRULE:FREQ=DAILY\r\nEXDATE;TZID=Europe/Paris:20250602T100000\r\n"),
                 kParis);
    auto first = next(ics, kJune1At8 - 3600);
    ASSERT_TRUE(first);
    EXPECT_TRUE(first->recurring);
    EXPECT_EQ(first->alarm_time, at(kJune1At8 - 900));
    EXPECT_EQ(first->recurrence_id, "20250601T080000Z");
    // Once it fired, the next one skips the excluded 2 June.
    auto second = next(ics, kJune1At8 - 900, first->alarm_time.time_since_epoch().count());
    ASSERT_TRUE(second);
    EXPECT_EQ(second->event_start, at(kJune1At8 + 2 * 86400));
    EXPECT_EQ(second->recurrence_id, "20250603T080000Z");
}

TEST(NextAlarm, AnOldRuleStartsNearNowAndAnInvalidOneIsIgnored) {
    // Hourly since 1970: the expansion jumps to the day before `now`.
    auto hourly =
        next(calendar(event("DTSTART:19700101T000000Z\r\nRRULE:FREQ=HOURLY\r\n")), kJune1At8 + 60);
    ASSERT_TRUE(hourly);
    EXPECT_EQ(hourly->event_start, at(kJune1At8 + 3600));
    // An ordinal BYDAY with FREQ=HOURLY is invalid (RFC 5545 §3.3.10), and libical 3.0 loops
    // on it for seconds: no occurrence comes of it.
    auto invalid = next(
        calendar(event("DTSTART:19700329T020000Z\r\nRRULE:FREQ=HOURLY;BYMONTH=3;BYDAY=-1SU\r\n")),
        kJune1At8);
    EXPECT_FALSE(invalid);
}

TEST(NextAlarm, OverrideMovesItsOccurrence) {
    std::string ics =
        calendar(event("DTSTART:20250101T080000Z\r\nRRULE:FREQ=DAILY\r\n") +
                 event("RECURRENCE-ID:20250601T080000Z\r\nDTSTART:20250601T120000Z\r\n"));
    auto a = next(ics, kJune1At8 - 3600);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->event_start, at(kJune1At8 + 4 * 3600));
    EXPECT_EQ(a->alarm_time, at(kJune1At8 + 4 * 3600 - 900));
    EXPECT_EQ(a->recurrence_id, "20250601T080000Z");
}

TEST(NextAlarm, AttendeeMustHaveAccepted) {
    std::string people =
        "DTSTART:20250601T080000Z\r\nORGANIZER:mailto:bob@example.com\r\n"
        "ATTENDEE;PARTSTAT=ACCEPTED:mailto:bob@example.com\r\n";
    std::string needs_action =
        people + "ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:alice@example.com\r\n";
    EXPECT_FALSE(next(calendar(event(needs_action)), kJune1At8 - 86400));
    std::string accepted = people + "ATTENDEE;PARTSTAT=ACCEPTED:mailto:ALICE@example.com\r\n";
    EXPECT_TRUE(next(calendar(event(accepted)), kJune1At8 - 86400));
}

TEST(NextAlarm, OtherAttendeesAreNoAlarmRecipients) {
    std::string lines =
        "DTSTART:20250601T080000Z\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.com\r\n"
        "ATTENDEE;PARTSTAT=ACCEPTED:mailto:bob@example.com\r\n";
    std::string to_bob =
        "BEGIN:VALARM\r\nACTION:EMAIL\r\nTRIGGER:-PT15M\r\nATTENDEE:mailto:bob@example.com\r\n"
        "END:VALARM\r\n";
    EXPECT_FALSE(next(calendar(event(lines, to_bob)), kJune1At8 - 86400));
    std::string to_both =
        "BEGIN:VALARM\r\nACTION:email\r\nTRIGGER:-PT10M\r\n"
        "ATTENDEE:mailto:bob@example.com\r\nATTENDEE:mailto:alice@example.com\r\n"
        "END:VALARM\r\n";
    auto a = next(calendar(event(lines, to_both + to_bob)), kJune1At8 - 86400);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->alarm_time, at(kJune1At8 - 600));
    EXPECT_EQ(a->recipients, std::vector<std::string>{"alice@example.com"});
}

TEST(NextAlarm, EarliestOfSeveralAlarmsAndUnknownActionsIgnored) {
    std::string alarms =
        "BEGIN:VALARM\r\nACTION:AUDIO\r\nTRIGGER:-PT1H\r\nEND:VALARM\r\n"
        "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT30M\r\nEND:VALARM\r\n" +
        kAliceAlarm;
    auto a = next(calendar(event("DTSTART:20250601T080000Z\r\n", alarms)), kJune1At8 - 86400);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->action, AlarmAction::Display);
    EXPECT_EQ(a->alarm_time, at(kJune1At8 - 1800));
    // After the DISPLAY one, the EMAIL one.
    auto b = next(calendar(event("DTSTART:20250601T080000Z\r\n", alarms)), kJune1At8 - 86400,
                  kJune1At8 - 1800);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->action, AlarmAction::Email);
}

TEST(NextAlarm, CancelledGivesNothing) {
    EXPECT_FALSE(next(calendar(event("DTSTART:20250601T080000Z\r\nSTATUS:CANCELLED\r\n")),
                      kJune1At8 - 86400));
}

TEST(NextAlarm, LatestVersionOfSeveralSingleEvents) {
    std::string ics = calendar(event("DTSTART:20250601T080000Z\r\nSEQUENCE:1\r\n") +
                               event("DTSTART:20250601T100000Z\r\nSEQUENCE:2\r\n"));
    auto a = next(ics, kJune1At8 - 86400);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->event_start, at(kJune1At8 + 7200));
}

TEST(NextAlarm, ActionNames) {
    EXPECT_EQ(twake::alarms::action_from_name("display"), AlarmAction::Display);
    EXPECT_EQ(twake::alarms::action_from_name(""), AlarmAction::Email);
    EXPECT_STREQ(twake::alarms::action_name(AlarmAction::Display), "DISPLAY");
}

}  // namespace
