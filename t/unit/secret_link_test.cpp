#include <gtest/gtest.h>

#include <set>
#include <string>

#include "shared/secretlink/link_token.hpp"

using namespace twake::secretlink;

TEST(SecretLink, NewTokensAreThirtyUrlSafeCharactersAndDiffer) {
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        std::string token = new_link_token();
        EXPECT_EQ(token.size(), 30u);
        EXPECT_EQ(read_link_token(token), token);
        seen.insert(token);
    }
    EXPECT_EQ(seen.size(), 100u);
}

TEST(SecretLink, DownloadTokenIsTrimmedAndCheckedCharacterByCharacter) {
    EXPECT_EQ(read_link_token("  Zx3-_9q \t"), "Zx3-_9q");
    EXPECT_EQ(read_link_token(""), "");
    EXPECT_EQ(read_link_token("   "), "");
    EXPECT_EQ(read_link_token("abc+def"), std::nullopt);
    EXPECT_EQ(read_link_token("abc def"), std::nullopt);
    EXPECT_EQ(read_link_token("abc%20"), std::nullopt);
    EXPECT_EQ(read_link_token("abc="), std::nullopt);
    EXPECT_EQ(read_link_token("\xc3\xa9"), std::nullopt);
}

TEST(SecretLink, PathSegmentsAreIdsNeverTraversals) {
    EXPECT_TRUE(valid_path_segment("5f1a0c2b9d3e4f5a6b7c8d9e"));
    EXPECT_TRUE(valid_path_segment("8f3e-uuid_like.v2"));
    for (const char* bad : {"", ".", "..", "a/b", "a%2Fb", "a b", "a?b"}) {
        EXPECT_FALSE(valid_path_segment(bad)) << bad;
    }
}

TEST(SecretLink, DownloadPath) {
    auto p = download_path("/api/calendars/h1/c-2.x/calendar.ics");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->home, "h1");
    EXPECT_EQ(p->calendar, "c-2.x");
    for (const char* bad : {"/api/calendars/h1/calendar.ics", "/api/calendars/h1/c1/x/calendar.ics",
                            "/api/calendars/../c1/calendar.ics", "/api/calendars//c1/calendar.ics",
                            "/api/calendars/h1/c1/calendar.icsx",
                            "/api/calendar/h1/c1/calendar.ics", "/api/calendars/calendar.ics"}) {
        EXPECT_FALSE(download_path(bad)) << bad;
    }
}

TEST(SecretLink, LinkUrl) {
    EXPECT_EQ(link_url("https://cal.example.com", "h1", "c1", "T0k"),
              "https://cal.example.com/api/calendars/h1/c1/calendar.ics?token=T0k");
}

TEST(SecretLink, ExportPathOfOwnAndSubscribedCalendars) {
    EXPECT_EQ(export_path("h1", "c1", R"({"dav:name":"Work"})"), "/calendars/h1/c1");
    EXPECT_EQ(export_path("h1", "c1", R"({"calendarserver:source":null})"), "/calendars/h1/c1");
    EXPECT_EQ(export_path("h1", "c1", "not json"), "/calendars/h1/c1");
    EXPECT_EQ(
        export_path(
            "h1", "c1",
            R"({"calendarserver:source":{"_links":{"self":{"href":"/calendars/h2/c2.json"}}}})"),
        "/calendars/h2/c2");
    EXPECT_EQ(
        export_path("h1", "c1",
                    R"({"calendarserver:source":{"_links":{"self":{"href":"/calendars/h2/c2"}}}})"),
        "/calendars/h2/c2");
    EXPECT_EQ(export_path("h1", "c1", R"({"calendarserver:source":{"_links":{}}})"), std::nullopt);
}
