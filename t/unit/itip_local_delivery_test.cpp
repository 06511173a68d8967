#include "worker/amqp/itip_local_delivery.hpp"

#include <gtest/gtest.h>

#include "shared/json/json.hpp"

using namespace twake;
using amqp::PoisonMessage;

namespace {

const std::string kBody =
    R"({"sender":"mailto:alice@example.com","method":"request","uid":"u1","calendarId":"c1",)"
    R"("message":"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n","hasChange":true,)"
    R"("recipients":["mailto:bob@example.com",7,"  ","mailto:carol@example.org"]})";

}  // namespace

TEST(ItipLocalDelivery, ParsesTheMessageAndDropsBadRecipients) {
    auto m = amqp::parse_itip_message(kBody);
    EXPECT_EQ(m.sender, "mailto:alice@example.com");
    EXPECT_EQ(m.method, "REQUEST");
    EXPECT_EQ(m.uid, "u1");
    ASSERT_EQ(m.recipients.size(), 2u);
    EXPECT_EQ(m.recipients[1], "mailto:carol@example.org");
}

TEST(ItipLocalDelivery, AMalformedMessageIsPoison) {
    EXPECT_THROW(amqp::parse_itip_message("not json"), PoisonMessage);
    EXPECT_THROW(amqp::parse_itip_message("[]"), PoisonMessage);
    EXPECT_THROW(amqp::parse_itip_message(R"({"sender":"a","method":"REQUEST","uid":"u",)"
                                          R"("message":"m"})"),
                 PoisonMessage);
    EXPECT_THROW(amqp::parse_itip_message(R"({"sender":"a","method":"REQUEST","uid":1,)"
                                          R"("message":"m","recipients":[]})"),
                 PoisonMessage);
}

TEST(ItipLocalDelivery, SplitsOneCopyPerRecipientKeepingTheRest) {
    auto m = amqp::parse_itip_message(kBody);
    auto copies = amqp::split_by_recipient(kBody, m);
    ASSERT_EQ(copies.size(), 2u);
    EXPECT_EQ(copies[0].exchange, "calendar:itip:localDelivery");
    auto first = amqp::parse_itip_message(copies[0].body);
    ASSERT_EQ(first.recipients.size(), 1u);
    EXPECT_EQ(first.recipients[0], "mailto:bob@example.com");
    auto doc = json::Json::parse(copies[1].body);
    EXPECT_EQ(json::string_member(doc->get(), "calendarId"), "c1");
    EXPECT_EQ(json::bool_member(doc->get(), "hasChange"), true);
    EXPECT_EQ(amqp::parse_itip_message(copies[1].body).recipients[0], "mailto:carol@example.org");
}

TEST(ItipLocalDelivery, HighestSequenceOfTheEvents) {
    const std::string ical =
        "BEGIN:VCALENDAR\r\nSEQUENCE:9\r\nBEGIN:VEVENT\r\nSEQUENCE:2\r\nBEGIN:VALARM\r\n"
        "SEQUENCE:8\r\nEND:VALARM\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSEQUENCE:\r\n 3\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n";
    EXPECT_EQ(amqp::highest_sequence(ical), 3);
    EXPECT_EQ(amqp::highest_sequence("BEGIN:VEVENT\nUID:x\nEND:VEVENT\n"), std::nullopt);
}

TEST(ItipLocalDelivery, TheBodyOfPostItip) {
    auto m = amqp::parse_itip_message(kBody);
    m.message = "BEGIN:VEVENT\r\nSEQUENCE:4\r\nEND:VEVENT\r\n";
    auto doc =
        json::Json::parse(amqp::itip_request_body(m, "alice@example.com", "bob@example.com"));
    EXPECT_EQ(json::string_member(doc->get(), "recipient"), "bob@example.com");
    EXPECT_EQ(json::string_member(doc->get(), "sender"), "alice@example.com");
    EXPECT_EQ(json::string_member(doc->get(), "method"), "REQUEST");
    EXPECT_EQ(json::number_member(doc->get(), "sequence"), 4);
    m.message = "BEGIN:VEVENT\r\nEND:VEVENT\r\n";
    doc = json::Json::parse(amqp::itip_request_body(m, "a@b.c", "d@e.f"));
    EXPECT_EQ(cJSON_GetObjectItemCaseSensitive(doc->get(), "sequence"), nullptr);
}

namespace {

amqp::ItipMessage itip(std::string method, std::string sender, std::string message) {
    amqp::ItipMessage m;
    m.method = std::move(method);
    m.sender = std::move(sender);
    m.message = std::move(message);
    m.recipients = {"mailto:bob@x.org"};
    return m;
}

std::string event(const std::string& lines) {
    return "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n" + lines + "END:VEVENT\r\nEND:VCALENDAR\r\n";
}

}  // namespace

TEST(ItipLocalDelivery, ARequestMustComeFromItsOneOrganizer) {
    auto from_alice = event("ORGANIZER:mailto:Alice@x.org\r\n");
    EXPECT_EQ(amqp::skip_reason(itip("REQUEST", "mailto:alice@x.org", from_alice)), std::nullopt);
    EXPECT_EQ(amqp::skip_reason(itip("REQUEST", "mailto:carol@x.org", from_alice)),
              "the sender is not the organizer");
    EXPECT_EQ(amqp::skip_reason(itip("REQUEST", "mailto:alice@x.org", event("UID:u\r\n"))),
              "not exactly one organizer");
    auto two =
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nORGANIZER:mailto:alice@x.org\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nORGANIZER:mailto:carol@x.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    EXPECT_EQ(amqp::skip_reason(itip("REQUEST", "mailto:alice@x.org", two)),
              "not exactly one organizer");
}

TEST(ItipLocalDelivery, AReplyThatChangesNothingIsSkipped) {
    auto reply =
        itip("REPLY", "mailto:bob@x.org", event("ATTENDEE;PARTSTAT=ACCEPTED:mailto:bob@x.org\r\n"));
    EXPECT_EQ(amqp::skip_reason(reply), std::nullopt);  // no old message
    reply.old_message = event("ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:bob@x.org\r\n");
    EXPECT_EQ(amqp::skip_reason(reply), std::nullopt);
    reply.old_message = event("ATTENDEE;PARTSTAT=ACCEPTED:mailto:bob@x.org\r\n");
    EXPECT_EQ(amqp::skip_reason(reply), "the participation did not change");
    // An instance is compared with the same instance of the old object, else its master.
    reply.message =
        event("RECURRENCE-ID:20300101T100000Z\r\nATTENDEE;PARTSTAT=DECLINED:mailto:bob@x.org\r\n");
    EXPECT_EQ(amqp::skip_reason(reply), std::nullopt);
    reply.old_message =
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:bob@x.org\r\n"
        "END:VEVENT\r\nBEGIN:VEVENT\r\nRECURRENCE-ID:20300101T100000Z\r\n"
        "ATTENDEE;PARTSTAT=DECLINED:mailto:bob@x.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    EXPECT_EQ(amqp::skip_reason(reply), "the participation did not change");
    // Without PARTSTAT in the reply it is delivered.
    reply.message = event("ATTENDEE:mailto:bob@x.org\r\n");
    EXPECT_EQ(amqp::skip_reason(reply), std::nullopt);
}

TEST(ItipLocalDelivery, AReplyIsReadFromTheEventsOwnAttendees) {
    // A quoted CN may hold `;` and `:`, and PARTSTAT is compared whatever its case.
    auto reply =
        itip("REPLY", "mailto:bob@x.org",
             event("ATTENDEE;CN=\"Bob; the: builder\";PARTSTAT=accepted:mailto:bob@x.org\r\n"));
    reply.old_message = event("ATTENDEE;PARTSTAT=ACCEPTED:mailto:bob@x.org\r\n");
    EXPECT_EQ(amqp::skip_reason(reply), "the participation did not change");
    // An alarm's ATTENDEE is no attendee of the event.
    reply.old_message = event(
        "BEGIN:VALARM\r\nACTION:EMAIL\r\nTRIGGER:-PT5M\r\n"
        "ATTENDEE;PARTSTAT=ACCEPTED:mailto:bob@x.org\r\nEND:VALARM\r\n");
    EXPECT_EQ(amqp::skip_reason(reply), std::nullopt);
}

TEST(ItipLocalDelivery, UnreadableTextHasNoEvents) {
    EXPECT_EQ(amqp::skip_reason(itip("REQUEST", "mailto:alice@x.org", "not iCalendar")),
              "not exactly one organizer");
    EXPECT_EQ(amqp::highest_sequence("not iCalendar"), std::nullopt);
}
