// A notification message read as the mail it asks for (docs/reference/rabbitmq.md §3.5,
// docs/mail.md §5.2).

#include <gtest/gtest.h>

#include <string>

#include "shared/json/json.hpp"
#include "worker/mail/notification_mail.hpp"

namespace {

using namespace twake::mail;

const std::string kEvent =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nUID:uid-1\r\n"
    "DTSTART:20301201T100000Z\r\nDTEND:20301201T110000Z\r\nSUMMARY:Roadmap\r\n"
    "ORGANIZER;CN=Alice:mailto:alice@example.com\r\n"
    "ATTENDEE;PARTSTAT=TENTATIVE;CN=Bob:mailto:bob@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

std::string body(const std::string& method, const std::string& extra = "") {
    twake::json::Json b = twake::json::Json::object();
    b.set("senderEmail", "Bob@Example.com")
        .set("recipientEmail", "alice@example.com")
        .set("method", method)
        .set("event", kEvent)
        .set("eventPath", "/calendars/home1/cal1/uid-1.ics");
    std::string text = b.dump();
    if (!extra.empty()) {
        text.insert(text.size() - 1, "," + extra);
    }
    return text;
}

TEST(MailNotification, ParsesTheMembersAndLowerCasesAddresses) {
    Notification n = parse_notification(body("request", "\"isNewEvent\":true"));
    EXPECT_EQ(n.sender, "bob@example.com");
    EXPECT_EQ(n.method, "REQUEST");
    EXPECT_TRUE(n.new_event);
    EXPECT_EQ(n.event_path, "/calendars/home1/cal1/uid-1.ics");
    EXPECT_FALSE(n.calendar_uri.has_value());
    EXPECT_THROW(parse_notification("{\"senderEmail\":\"a@b.c\"}"), std::invalid_argument);
    EXPECT_THROW(parse_notification("[1]"), std::invalid_argument);
}

TEST(MailNotification, KindFollowsMethodNewnessAndChanges) {
    EXPECT_EQ(mail_kind(parse_notification(body("REQUEST", "\"isNewEvent\":true"))),
              MailKind::Invite);
    EXPECT_EQ(mail_kind(parse_notification(
                  body("REQUEST", R"("changes":{"summary":{"previous":"a","current":"b"}})"))),
              MailKind::Update);
    EXPECT_EQ(mail_kind(parse_notification(body("REQUEST", R"("changes":{})"))), std::nullopt);
    EXPECT_EQ(mail_kind(parse_notification(body("REQUEST"))), std::nullopt);
    EXPECT_EQ(mail_kind(parse_notification(body("CANCEL"))), MailKind::Cancel);
    EXPECT_EQ(mail_kind(parse_notification(body("REPLY"))), MailKind::Reply);
    EXPECT_EQ(mail_kind(parse_notification(body("COUNTER"))), MailKind::Counter);
    EXPECT_THROW(mail_kind(parse_notification(body("PUBLISH"))), std::invalid_argument);
}

TEST(MailNotification, PreviousTimesAreReadInTheirZone) {
    auto doc = twake::json::Json::parse(
        R"({"dtstart":{"previous":{"isAllDay":false,"date":"2025-06-21 08:00:00.000000","timezone_type":3,"timezone":"Europe/Paris"}},
            "dtend":{"previous":{"isAllDay":true,"date":"2025-06-22 00:00:00.000000","timezone":"UTC"}},
            "location":{"previous":"Room 1","current":"Room 2"}})");
    EventChanges c = previous_values(doc->get());
    ASSERT_TRUE(c.start.has_value());
    // 08:00 in Paris in June is 06:00 UTC.
    EXPECT_EQ(c.start->instant.time_since_epoch().count(), 1750485600);
    ASSERT_TRUE(c.end.has_value() && c.end->date.has_value());
    EXPECT_EQ(static_cast<unsigned>(c.end->date->day()), 22u);
    EXPECT_EQ(c.location, "Room 1");
    EXPECT_FALSE(c.summary.has_value());
}

TEST(MailNotification, ReplyFactsNameTheAttendeeAndItsAnswer) {
    MailFacts facts = mail_facts(parse_notification(body("REPLY")), MailKind::Reply);
    ASSERT_TRUE(facts.actor.has_value());
    EXPECT_EQ(facts.actor->name, "Bob");
    EXPECT_EQ(facts.partstat, "TENTATIVE");
    EXPECT_EQ(facts.recipient.email, "alice@example.com");
    EXPECT_EQ(facts.recipient.name, "Alice");
}

TEST(MailNotification, CalendarHomeIsTheFirstSegmentOfTheEventPath) {
    EXPECT_EQ(calendar_home("/calendars/home1/cal1/uid-1.ics"), "home1");
    EXPECT_EQ(calendar_home(""), "");
    EXPECT_EQ(calendar_home("/addressbooks/x"), "");
}

}  // namespace
