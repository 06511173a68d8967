#include <gtest/gtest.h>

#include "worker/dav/dav_client.hpp"

using twake::dav::parse_sharees;

TEST(DavClient, ParsesTheInvitesOfEsnSabresCalendarJson) {
    auto sharees = parse_sharees(R"({"_links":{},"invite":[
        {"href":"principals/users/1","access":1},
        {"href":"mailto:Bob@Example.com","access":3,"inviteStatus":2},
        {"href":"MAILTO:carol@example.com","access":5},
        {"href":"mailto:dan@example.com"},
        {"access":3}]})");
    ASSERT_EQ(sharees.size(), 2u);
    EXPECT_EQ(sharees[0].email, "bob@example.com");
    EXPECT_EQ(sharees[0].access, 3);
    EXPECT_EQ(sharees[1].email, "carol@example.com");
    EXPECT_EQ(sharees[1].access, 5);
}

TEST(DavClient, NoInvitesOrNotJson) {
    EXPECT_TRUE(parse_sharees(R"({"_links":{}})").empty());
    EXPECT_TRUE(parse_sharees("<xml/>").empty());
    EXPECT_TRUE(parse_sharees(R"({"invite":{}})").empty());
}

TEST(DavClient, TheFirstItemOfAReportByUid) {
    const std::string report =
        R"({"_links":{"self":{"href":"/calendars/home1.json"}},"_embedded":{"dav:item":[)"
        R"({"_links":{"self":{"href":"/calendars/home1/cal1/uid-1.ics"}},"etag":"\"e1\"",)"
        R"("data":["vcalendar",[],[["vevent",[["uid",{},"text","uid-1"]],[]]]]}]}})";
    EXPECT_EQ(twake::dav::first_item_href(report), "/calendars/home1/cal1/uid-1.ics");
    auto data = twake::dav::first_item_data(report);
    ASSERT_TRUE(data.has_value());
    EXPECT_EQ(data->dump(), R"(["vcalendar",[],[["vevent",[["uid",{},"text","uid-1"]],[]]]])");
}

TEST(DavClient, AReportWithoutItemsHasNoFirstItem) {
    for (const std::string& report :
         {std::string(R"({"_embedded":{"dav:item":[]}})"), std::string("{}"), std::string("")}) {
        EXPECT_FALSE(twake::dav::first_item_href(report).has_value()) << report;
        EXPECT_FALSE(twake::dav::first_item_data(report).has_value()) << report;
    }
}
