// The mail notifications of a delivered iTIP message (docs/reference/rabbitmq.md §3.4).

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "shared/json/json.hpp"
#include "worker/scheduling/itip_notifications.hpp"
#include "worker/scheduling/occurrences.hpp"

namespace {

using twake::json::Json;
using twake::scheduling::is_over;
using twake::scheduling::ItipNotificationSource;
using twake::scheduling::notification_bodies;

const std::chrono::sys_seconds kNow{std::chrono::seconds(1767225600)};  // 2026-01-01T00:00Z

std::string calendar(const std::string& method, const std::string& events) {
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" +
           (method.empty() ? "" : "METHOD:" + method + "\r\n") +
           "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n"
           "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
           "END:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nTZOFFSETFROM:+0100\r\n"
           "TZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n"
           "END:VTIMEZONE\r\n" +
           events + "END:VCALENDAR\r\n";
}

struct Event {
    std::string summary = "Meeting";
    std::string start = "20270615T100000";
    std::string end = "20270615T110000";
    std::string bob_partstat = "NEEDS-ACTION";
    bool bob = true;
    std::string location;
    std::string extra;  // more lines (RRULE, RECURRENCE-ID, EXDATE…)

    std::string text() const {
        std::string out = "BEGIN:VEVENT\r\nUID:uid-1\r\nSEQUENCE:1\r\nDTSTAMP:20260101T000000Z\r\n";
        out += "DTSTART;TZID=Europe/Paris:" + start + "\r\n";
        out += "DTEND;TZID=Europe/Paris:" + end + "\r\n";
        out += "SUMMARY:" + summary + "\r\n";
        if (!location.empty()) {
            out += "LOCATION:" + location + "\r\n";
        }
        out += "ORGANIZER;CN=Alice:mailto:alice@example.com\r\n";
        out += "ATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.com\r\n";
        if (bob) {
            out += "ATTENDEE;PARTSTAT=" + bob_partstat + ";CN=Bob:mailto:Bob@Example.com\r\n";
        }
        out += extra + "END:VEVENT\r\n";
        return out;
    }
};

ItipNotificationSource source(const std::string& method, const std::string& message,
                              std::optional<std::string> old = std::nullopt) {
    ItipNotificationSource s;
    s.method = method;
    s.sender = method == "REPLY" || method == "COUNTER" ? "bob@example.com" : "alice@example.com";
    s.recipient =
        method == "REPLY" || method == "COUNTER" ? "alice@example.com" : "bob@example.com";
    s.message = message;
    s.old_message = std::move(old);
    s.calendar_id = "6620a1b2c3d4e5f601234567";
    s.event_path = "/calendars/6620b7c8d9e0f1a2b3c4d5e6/6620b7c8d9e0f1a2b3c4d5e6/uid-1.ics";
    return s;
}

std::vector<Json> parsed(const std::vector<std::string>& bodies) {
    std::vector<Json> out;
    for (const auto& b : bodies) {
        out.push_back(*Json::parse(b));
    }
    return out;
}

std::string member(const Json& body, const char* key) {
    auto v = twake::json::string_member(body.get(), key);
    return v.value_or("<absent>");
}

bool is_new(const Json& body) {
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(body.get(), "isNewEvent"));
}

const cJSON* changes(const Json& body) {
    return cJSON_GetObjectItemCaseSensitive(body.get(), "changes");
}

TEST(ItipNotifications, NewInvitationIsOneNotificationMarkedNewWithTheMessageAsIs) {
    std::string message = calendar("REQUEST", Event{}.text());
    auto bodies = parsed(notification_bodies(source("REQUEST", message), kNow));
    ASSERT_EQ(bodies.size(), 1u);
    EXPECT_EQ(member(bodies[0], "senderEmail"), "alice@example.com");
    EXPECT_EQ(member(bodies[0], "recipientEmail"), "bob@example.com");
    EXPECT_EQ(member(bodies[0], "method"), "REQUEST");
    EXPECT_EQ(member(bodies[0], "event"), message);
    EXPECT_EQ(member(bodies[0], "calendarURI"), "6620a1b2c3d4e5f601234567");
    EXPECT_EQ(member(bodies[0], "eventPath"),
              "/calendars/6620b7c8d9e0f1a2b3c4d5e6/6620b7c8d9e0f1a2b3c4d5e6/uid-1.ics");
    EXPECT_TRUE(is_new(bodies[0]));
    EXPECT_EQ(changes(bodies[0]), nullptr);
}

TEST(ItipNotifications, CalendarUriIsOmittedWhenUnknown) {
    auto s = source("REQUEST", calendar("REQUEST", Event{}.text()));
    s.calendar_id.reset();
    auto bodies = parsed(notification_bodies(s, kNow));
    ASSERT_EQ(bodies.size(), 1u);
    EXPECT_EQ(member(bodies[0], "calendarURI"), "<absent>");
}

TEST(ItipNotifications, UpdateCarriesTheChangedFieldsWithPreviousAndCurrent) {
    Event before;
    Event after;
    after.summary = "Moved meeting";
    after.start = "20270615T140000";
    after.end = "20270615T150000";
    auto bodies = parsed(notification_bodies(
        source("REQUEST", calendar("REQUEST", after.text()), calendar("", before.text())), kNow));
    ASSERT_EQ(bodies.size(), 1u);
    EXPECT_FALSE(is_new(bodies[0]));
    const cJSON* c = changes(bodies[0]);
    ASSERT_NE(c, nullptr);
    const cJSON* summary = cJSON_GetObjectItemCaseSensitive(c, "summary");
    EXPECT_EQ(twake::json::string_member(summary, "previous"), "Meeting");
    EXPECT_EQ(twake::json::string_member(summary, "current"), "Moved meeting");
    const cJSON* start = cJSON_GetObjectItemCaseSensitive(c, "dtstart");
    const cJSON* previous = cJSON_GetObjectItemCaseSensitive(start, "previous");
    EXPECT_EQ(twake::json::string_member(previous, "date"), "2027-06-15 10:00:00.000000");
    EXPECT_EQ(twake::json::string_member(previous, "timezone"), "Europe/Paris");
    EXPECT_FALSE(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(previous, "isAllDay")));
    EXPECT_EQ(cJSON_GetObjectItemCaseSensitive(previous, "timezone_type")->valuedouble, 3);
    const cJSON* current = cJSON_GetObjectItemCaseSensitive(start, "current");
    EXPECT_EQ(twake::json::string_member(current, "date"), "2027-06-15 14:00:00.000000");
    EXPECT_NE(cJSON_GetObjectItemCaseSensitive(c, "dtend"), nullptr);
    EXPECT_EQ(cJSON_GetObjectItemCaseSensitive(c, "location"), nullptr);
}

TEST(ItipNotifications, UpdateWithoutRelevantChangeGivesNothing) {
    Event before;
    Event after;
    after.extra = "TRANSP:TRANSPARENT\r\n";  // not a field a mail describes
    EXPECT_TRUE(
        notification_bodies(
            source("REQUEST", calendar("REQUEST", after.text()), calendar("", before.text())), kNow)
            .empty());
}

TEST(ItipNotifications, RecipientOwnParticipationChangeIsTold) {
    Event before;
    Event after;
    after.bob_partstat = "ACCEPTED";
    auto bodies = notification_bodies(
        source("REQUEST", calendar("REQUEST", after.text()), calendar("", before.text())), kNow);
    EXPECT_EQ(bodies.size(), 1u);
}

TEST(ItipNotifications, AttendeeAddedToAnExistingEventGetsAnInvitation) {
    Event before;
    before.bob = false;
    Event after;
    auto bodies = parsed(notification_bodies(
        source("REQUEST", calendar("REQUEST", after.text()), calendar("", before.text())), kNow));
    ASSERT_EQ(bodies.size(), 1u);
    EXPECT_TRUE(is_new(bodies[0]));
}

TEST(ItipNotifications, RecipientInNeitherVersionGetsNothing) {
    Event before;
    before.bob = false;
    Event after;
    after.bob = false;
    after.summary = "Changed";
    EXPECT_TRUE(
        notification_bodies(
            source("REQUEST", calendar("REQUEST", after.text()), calendar("", before.text())), kNow)
            .empty());
}

TEST(ItipNotifications, CancellationIsAlwaysToldToAFormerAttendee) {
    Event before;
    Event cancel;  // same fields: the removal itself is the news
    auto bodies = parsed(notification_bodies(
        source("CANCEL", calendar("CANCEL", cancel.text()), calendar("", before.text())), kNow));
    ASSERT_EQ(bodies.size(), 1u);
    EXPECT_EQ(member(bodies[0], "method"), "CANCEL");
    EXPECT_FALSE(is_new(bodies[0]));
}

TEST(ItipNotifications, CancellationWithoutPreviousVersionIsOneNotificationNotNew) {
    auto bodies =
        parsed(notification_bodies(source("CANCEL", calendar("CANCEL", Event{}.text())), kNow));
    ASSERT_EQ(bodies.size(), 1u);
    EXPECT_FALSE(is_new(bodies[0]));
}

TEST(ItipNotifications, ReplyIsOneNotificationWithTheMessage) {
    Event reply;
    reply.bob_partstat = "ACCEPTED";
    std::string message = calendar("REPLY", reply.text());
    auto bodies =
        parsed(notification_bodies(source("REPLY", message, calendar("", Event{}.text())), kNow));
    ASSERT_EQ(bodies.size(), 1u);
    EXPECT_EQ(member(bodies[0], "event"), message);
    EXPECT_EQ(member(bodies[0], "recipientEmail"), "alice@example.com");
}

TEST(ItipNotifications, CounterCarriesTheCurrentEventAsOldEvent) {
    std::string current = calendar("", Event{}.text());
    Event proposal;
    proposal.start = "20270616T100000";
    auto bodies = parsed(notification_bodies(
        source("COUNTER", calendar("COUNTER", proposal.text()), current), kNow));
    ASSERT_EQ(bodies.size(), 1u);
    EXPECT_EQ(member(bodies[0], "oldEvent"), current);
}

TEST(ItipNotifications, EventAlreadyStartedIsNotNotified) {
    Event past;
    past.start = "20250615T100000";
    past.end = "20250615T110000";
    EXPECT_TRUE(
        notification_bodies(source("REQUEST", calendar("REQUEST", past.text())), kNow).empty());
}

TEST(ItipNotifications, RepeatingEventWithFutureOccurrencesIsNotified) {
    Event daily;
    daily.start = "20250615T100000";
    daily.end = "20250615T110000";
    daily.extra = "RRULE:FREQ=DAILY\r\n";
    EXPECT_EQ(
        notification_bodies(source("REQUEST", calendar("REQUEST", daily.text())), kNow).size(), 1u);
    daily.extra = "RRULE:FREQ=DAILY;COUNT=3\r\n";
    EXPECT_TRUE(
        notification_bodies(source("REQUEST", calendar("REQUEST", daily.text())), kNow).empty());
    daily.extra = "RRULE:FREQ=YEARLY;UNTIL=20300101T000000Z\r\n";
    EXPECT_EQ(
        notification_bodies(source("REQUEST", calendar("REQUEST", daily.text())), kNow).size(), 1u);
}

// Every Tuesday at 10:00 in Paris, ten times; its 22 June instance moved to 12:00.
Event weekly() {
    Event master;
    master.extra = "RRULE:FREQ=WEEKLY;COUNT=10\r\n";
    return master;
}

Event moved_instance() {
    Event moved;
    moved.start = "20270622T120000";
    moved.end = "20270622T130000";
    moved.extra = "RECURRENCE-ID;TZID=Europe/Paris:20270622T100000\r\n";
    return moved;
}

TEST(ItipNotifications, RepeatingInvitationWithAnOverrideIsOneNotificationPerEvent) {
    const Event master = weekly();
    const Event moved = moved_instance();
    auto bodies = parsed(notification_bodies(
        source("REQUEST", calendar("REQUEST", master.text() + moved.text())), kNow));
    ASSERT_EQ(bodies.size(), 2u);
    for (const auto& b : bodies) {
        EXPECT_TRUE(is_new(b));
        std::string event = member(b, "event");
        EXPECT_EQ(event.find("BEGIN:VEVENT"), event.rfind("BEGIN:VEVENT")) << "one VEVENT each";
        EXPECT_NE(event.find("BEGIN:VTIMEZONE"), std::string::npos);
        EXPECT_NE(event.find("METHOD:REQUEST"), std::string::npos);
    }
}

TEST(ItipNotifications, NewOverrideIsComparedWithThePreviousMastersInstance) {
    const Event master = weekly();
    const Event moved = moved_instance();
    auto bodies = parsed(
        notification_bodies(source("REQUEST", calendar("REQUEST", master.text() + moved.text()),
                                   calendar("", master.text())),
                            kNow));
    // The master is unchanged (no notification); the override moved the 22nd by two hours.
    ASSERT_EQ(bodies.size(), 1u);
    EXPECT_FALSE(is_new(bodies[0]));
    const cJSON* start = cJSON_GetObjectItemCaseSensitive(changes(bodies[0]), "dtstart");
    ASSERT_NE(start, nullptr);
    EXPECT_EQ(
        twake::json::string_member(cJSON_GetObjectItemCaseSensitive(start, "previous"), "date"),
        "2027-06-22 10:00:00.000000");
    EXPECT_EQ(
        twake::json::string_member(cJSON_GetObjectItemCaseSensitive(start, "current"), "date"),
        "2027-06-22 12:00:00.000000");
}

TEST(ItipNotifications, NewlyExcludedInstanceIsACancellationOfThatInstance) {
    Event before;
    before.extra = "RRULE:FREQ=WEEKLY;COUNT=10\r\n";
    Event after;
    after.extra = "RRULE:FREQ=WEEKLY;COUNT=10\r\nEXDATE;TZID=Europe/Paris:20270629T100000\r\n";
    auto bodies = parsed(notification_bodies(
        source("REQUEST", calendar("REQUEST", after.text()), calendar("", before.text())), kNow));
    ASSERT_EQ(bodies.size(), 1u) << "the master's EXDATE alone is no update";
    EXPECT_EQ(member(bodies[0], "method"), "CANCEL");
    std::string event = member(bodies[0], "event");
    EXPECT_NE(event.find("METHOD:CANCEL"), std::string::npos);
    EXPECT_NE(event.find("STATUS:CANCELLED"), std::string::npos);
    EXPECT_NE(event.find("RECURRENCE-ID;TZID=Europe/Paris:20270629T100000"), std::string::npos);
    EXPECT_NE(event.find("DTEND;TZID=Europe/Paris:20270629T110000"), std::string::npos);
    EXPECT_EQ(event.find("RRULE", event.find("BEGIN:VEVENT")), std::string::npos);
}

TEST(ItipNotifications, MalformedMessageIsRefusedAndUnreadableOldMessageIgnored) {
    EXPECT_THROW(notification_bodies(source("REQUEST", "not a calendar"), kNow),
                 std::invalid_argument);
    EXPECT_THROW(notification_bodies(source("REQUEST", calendar("REQUEST", "")), kNow),
                 std::invalid_argument);
    auto bodies = parsed(notification_bodies(
        source("REQUEST", calendar("REQUEST", Event{}.text()), "garbage"), kNow));
    ASSERT_EQ(bodies.size(), 1u);
    EXPECT_TRUE(is_new(bodies[0]));
}

TEST(Occurrences, AllDayEventIsOverFromItsDateOn) {
    std::string all_day =
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20251231\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n";
    EXPECT_TRUE(is_over(all_day, kNow));
    std::string tomorrow =
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20260101\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n";
    EXPECT_FALSE(is_over(tomorrow, kNow));
}

}  // namespace
