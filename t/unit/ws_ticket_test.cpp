#include "worker/tickets/ticket.hpp"

#include <gtest/gtest.h>

#include "shared/json/json.hpp"
#include "shared/text/utc_time.hpp"
#include "shared/text/uuid.hpp"

namespace twake::tickets {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

Clock::time_point at(int64_t epoch_ms) {
    return Clock::time_point(milliseconds(epoch_ms));
}

TEST(WsTicket, ANewTicketIsAUuidValidOneMinuteFromAWholeSecond) {
    Ticket t = new_ticket("bob@example.com", "203.0.113.7", std::nullopt, at(1763695028789));
    EXPECT_TRUE(text::is_uuid(t.value));
    EXPECT_EQ(t.value, *ticket_value(t.value));  // already lower case
    EXPECT_EQ(t.generated_on, at(1763695028000));
    EXPECT_EQ(t.valid_until - t.generated_on, seconds(60));
    EXPECT_NE(new_ticket("a@b.c", "", std::nullopt, at(0)).value,
              new_ticket("a@b.c", "", std::nullopt, at(0)).value);
}

TEST(WsTicket, TheIssuedTicketHasUpstreamsFiveFields) {
    Ticket t = new_ticket("bob@example.com", "203.0.113.7", "sid-1", at(1763695028789));
    auto body = json::Json::parse(issued_json(t));
    ASSERT_TRUE(body);
    EXPECT_EQ(cJSON_GetArraySize(body->get()), 5);  // the sid stays the worker's
    EXPECT_EQ(json::string_member(body->get(), "clientAddress"), "203.0.113.7");
    EXPECT_EQ(json::string_member(body->get(), "value"), t.value);
    EXPECT_EQ(json::string_member(body->get(), "generatedOn"), "2025-11-21T03:17:08Z");
    EXPECT_EQ(json::string_member(body->get(), "validUntil"), "2025-11-21T03:18:08Z");
    EXPECT_EQ(json::string_member(body->get(), "username"), "bob@example.com");
}

TEST(WsTicket, DatesAreUtcSecondsWithZ) {
    EXPECT_EQ(text::iso8601_utc_seconds(at(0)), "1970-01-01T00:00:00Z");
    EXPECT_EQ(text::iso8601_utc_seconds(at(1763695028999)), "2025-11-21T03:17:08Z");
}

TEST(WsTicket, OnlyAUuidIsATicketValueAndItIsLowerCased) {
    EXPECT_EQ(ticket_value("E7321534-B843-45AA-BCA7-157F84DCA424"),
              "e7321534-b843-45aa-bca7-157f84dca424");
    EXPECT_TRUE(text::is_uuid("e7321534-b843-45aa-bca7-157f84dca424"));
    for (std::string_view bad :
         {"", "e7321534b84345aabca7157f84dca424", "e7321534-b843-45aa-bca7-157f84dca42",
          "e7321534-b843-45aa-bca7-157f84dca4245", "g7321534-b843-45aa-bca7-157f84dca424",
          "e7321534-b843-45aa-bca7_157f84dca424", " e7321534-b843-45aa-bca7-157f84dca42"}) {
        EXPECT_FALSE(ticket_value(bad)) << bad;
        EXPECT_FALSE(text::is_uuid(bad)) << bad;
    }
}

TEST(WsTicket, AddressesAreComparedAsIps) {
    EXPECT_TRUE(same_ip("127.0.0.1", "127.0.0.1"));
    EXPECT_FALSE(same_ip("127.0.0.1", "127.0.0.2"));
    EXPECT_TRUE(same_ip("::ffff:127.0.0.1", "127.0.0.1"));
    EXPECT_TRUE(same_ip("127.0.0.1", "::FFFF:7f00:1"));
    EXPECT_TRUE(same_ip("0:0:0:0:0:0:0:1", "::1"));  // as Java wrote it
    EXPECT_TRUE(same_ip("2001:db8::1", "2001:0DB8:0:0:0:0:0:1"));
    EXPECT_FALSE(same_ip("::1", "127.0.0.1"));
    EXPECT_TRUE(same_ip("unix:", "unix:"));
    EXPECT_FALSE(same_ip("unix:", ""));
    EXPECT_FALSE(same_ip("", "127.0.0.1"));
    EXPECT_FALSE(same_ip("127.0.0.1 ", "127.0.0.1"));
}

TEST(WsTicket, APresentedTicketIsUnknownExpiredMisplacedOrAccepted) {
    Ticket t = new_ticket("bob@example.com", "127.0.0.1", std::nullopt, at(1000000));
    EXPECT_EQ(check(std::nullopt, at(1000000), "127.0.0.1", true), Check::Unknown);
    EXPECT_EQ(check(t, at(1000000), "127.0.0.1", true), Check::Accepted);
    EXPECT_EQ(check(t, at(1059999), "::ffff:127.0.0.1", true), Check::Accepted);
    EXPECT_EQ(check(t, at(1060000), "127.0.0.1", true), Check::Expired);
    EXPECT_EQ(check(t, at(1000000), "127.0.0.2", true), Check::AddressMismatch);
    EXPECT_EQ(check(t, at(1000000), "127.0.0.2", false), Check::Accepted);
    EXPECT_EQ(refusal_details(Check::Unknown), "unknown ticket");
    EXPECT_EQ(refusal_details(Check::Expired), "expired ticket");
    EXPECT_EQ(refusal_details(Check::AddressMismatch), "client address mismatch");
}

TEST(WsTicket, LogsGetAFingerprintNeverTheValue) {
    std::string value = "e7321534-b843-45aa-bca7-157f84dca424";
    std::string f = fingerprint(value);
    EXPECT_EQ(f.size(), 12u);
    EXPECT_EQ(f.find_first_not_of("0123456789abcdef"), std::string::npos);
    EXPECT_EQ(f, fingerprint(value));
    EXPECT_NE(f, fingerprint("e7321534-b843-45aa-bca7-157f84dca425"));
}

TEST(WsTicket, RefusalsKeepUpstreamsProblemShape) {
    EXPECT_EQ(
        problem_json(403, "Using ticket other accounts is forbidden"),
        R"({"type":"about:blank","status":403,"detail":"Using ticket other accounts is forbidden"})");
}

}  // namespace
}  // namespace twake::tickets
