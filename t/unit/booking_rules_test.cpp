#include <gtest/gtest.h>

#include "worker/booking/booking_rules.hpp"

using twake::booking::on_request;
using twake::booking::RequestDecision;
using twake::booking::tell_organizer;

TEST(BookingRules, WhoDecidesAnInvitation) {
    const std::vector<std::string> none;
    const std::vector<std::string> admins{"carol@example.com", "dan@example.com"};
    EXPECT_EQ(on_request(none, "alice@example.com"), RequestDecision::AutoAccept);
    EXPECT_EQ(on_request(none, std::nullopt), RequestDecision::AutoAccept);
    EXPECT_EQ(on_request(admins, "alice@example.com"), RequestDecision::AskAdministrators);
    EXPECT_EQ(on_request(admins, "Dan@Example.com"), RequestDecision::AutoAccept);
    EXPECT_EQ(on_request(admins, std::nullopt), RequestDecision::Nothing);
}

TEST(BookingRules, WhoHearsTheAnswer) {
    const std::vector<std::string> admins{"carol@example.com"};
    EXPECT_TRUE(tell_organizer(admins, "alice@example.com"));
    EXPECT_FALSE(tell_organizer(admins, "CAROL@example.com"));
    EXPECT_FALSE(tell_organizer({}, "alice@example.com"));
    EXPECT_FALSE(tell_organizer(admins, std::nullopt));
}
