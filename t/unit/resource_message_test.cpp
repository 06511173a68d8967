#include <gtest/gtest.h>

#include "worker/amqp/resource_booking.hpp"

using twake::amqp::parse_resource_message;
using twake::amqp::PoisonMessage;

namespace {

const char* const kIcs =
    "BEGIN:VCALENDAR\\r\\nVERSION:2.0\\r\\nPRODID:-//Test//EN\\r\\nBEGIN:VEVENT\\r\\n"
    "UID:booking-1\\r\\nDTSTAMP:20300101T000000Z\\r\\nDTSTART:20300419T110000Z\\r\\n"
    "SUMMARY:Planning\\r\\nORGANIZER;CN=Alice:mailto:alice@example.com\\r\\n"
    "END:VEVENT\\r\\nEND:VCALENDAR\\r\\n";

std::string message(const std::string& event_id, const char* ics = kIcs) {
    return std::string(R"({"resourceId":"6620a1b2c3d4e5f601234567","eventId":")") + event_id +
           R"(","eventPath":"/calendars/6620a1b2c3d4e5f601234567/6620a1b2c3d4e5f601234567/)" +
           event_id + R"(","ics":")" + ics + R"(","etag":"\"1\"","connectedUser":null})";
}

}  // namespace

TEST(ResourceMessage, ReadsWhatEsnSabrePublishes) {
    auto invitation = parse_resource_message(message("sabredav-42.ics"));
    EXPECT_EQ(invitation.resource_id, "6620a1b2c3d4e5f601234567");
    EXPECT_EQ(invitation.event_id, "sabredav-42");  // the file name, without .ics
    EXPECT_EQ(invitation.event.uid, "booking-1");
    ASSERT_TRUE(invitation.event.organizer);
    EXPECT_EQ(invitation.event.organizer->email, "alice@example.com");
    EXPECT_EQ(invitation.digest.size(), 64u);

    auto answer = parse_resource_message(message("booking-1"));
    EXPECT_EQ(answer.event_id, "booking-1");  // a UID is kept as it is
    EXPECT_NE(answer.digest, invitation.digest);
}

TEST(ResourceMessage, MalformedMessagesArePoison) {
    EXPECT_THROW(parse_resource_message("[]"), PoisonMessage);
    EXPECT_THROW(parse_resource_message(R"({"resourceId":"r","ics":"x"})"), PoisonMessage);
    EXPECT_THROW(parse_resource_message(R"({"resourceId":"r","eventId":1,"ics":"x"})"),
                 PoisonMessage);
    EXPECT_THROW(parse_resource_message(message("e1", "not a calendar")), PoisonMessage);
}
