#include "ngx_module/core/ticket_query.hpp"

#include <gtest/gtest.h>

namespace twake::edge {
namespace {

constexpr std::string_view kTicket = "e7321534-b843-45aa-bca7-157f84dca424";

TEST(EdgeTicketQuery, TheFirstTicketParameterOnly) {
    EXPECT_EQ(first_query_value("ticket=a&ticket=b", "ticket"), "a");
    EXPECT_EQ(first_query_value("x=1&ticket=b&y=2", "ticket"), "b");
    EXPECT_EQ(first_query_value("ticket", "ticket"), "");
    EXPECT_EQ(first_query_value("ticket=&ticket=b", "ticket"), "");
    EXPECT_EQ(first_query_value("ticket=a=b", "ticket"), "a=b");
    EXPECT_FALSE(first_query_value("", "ticket"));
    EXPECT_FALSE(first_query_value("tickets=a&xticket=b&Ticket=c", "ticket"));
}

TEST(EdgeTicketQuery, EveryTicketParameterLeavesTheQuery) {
    EXPECT_EQ(query_without("ticket=a", "ticket"), "");
    EXPECT_EQ(query_without("x=1&ticket=a&y=2&ticket=b", "ticket"), "x=1&y=2");
    EXPECT_EQ(query_without("ticket&x=%20", "ticket"), "x=%20");
    EXPECT_EQ(query_without("x=1&&y", "ticket"), "x=1&y");
    EXPECT_EQ(query_without("tickets=1", "ticket"), "tickets=1");
    EXPECT_EQ(query_without("", "ticket"), "");
}

TEST(EdgeTicketQuery, AHandshakeTicketIsAUuidLowerCased) {
    EXPECT_EQ(handshake_ticket(kTicket), kTicket);
    EXPECT_EQ(handshake_ticket("E7321534-B843-45AA-BCA7-157F84DCA424"), kTicket);
    EXPECT_EQ(handshake_ticket("e7321534%2Db843-45aa-bca7-157f84dca424"), kTicket);
    EXPECT_FALSE(handshake_ticket(""));
    EXPECT_FALSE(handshake_ticket("not-a-ticket"));
    EXPECT_FALSE(handshake_ticket("e7321534-b843-45aa-bca7-157f84dca42%"));
    EXPECT_FALSE(handshake_ticket("e7321534-b843-45aa-bca7-157f84dca424x"));
    EXPECT_FALSE(handshake_ticket("{e7321534-b843-45aa-bca7-157f84dca424}"));
}

}  // namespace
}  // namespace twake::edge
