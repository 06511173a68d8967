#include <gtest/gtest.h>

#include "worker/settings/user_settings.hpp"
#include "worker/store/user_store.hpp"

using namespace twake;

namespace {

json::Json parse(const char* text) {
    return *json::Json::parse(text);
}

config::WorkerConfig sample_config() {
    config::WorkerConfig c;
    c.self_url = "https://edge.example.com";
    c.visio_url = "https://jitsi.example.com";
    return c;
}

}  // namespace

TEST(UserSettings, DefaultsAndConstants) {
    auto config = sample_config();
    json::Json stored = json::Json::array();
    settings::UserSettings s(config, stored.get());
    EXPECT_EQ(s.value("core", "language").dump(), R"("en")");
    EXPECT_EQ(
        s.value("core", "davserver").dump(),
        R"({"frontend":{"url":"https://edge.example.com/dav"},"backend":{"url":"https://edge.example.com/dav"}})");
    EXPECT_EQ(s.value("core", "homePage").dump(), "null");
    EXPECT_EQ(s.value("core", "businessHours").dump(),
              R"([{"start":"8:0","end":"19:0","daysOfWeek":[1,2,3,4,5]}])");
    EXPECT_EQ(s.value("calendar", "alarmEmails").dump(), "true");
    EXPECT_EQ(s.value("other", "key").dump(), "null");
    EXPECT_EQ(s.timezone(), "Europe/Paris");
    EXPECT_EQ(s.language(), "en");
    json::Json all = s.all();
    EXPECT_EQ(cJSON_GetArraySize(all.get()), 5);
}

TEST(UserSettings, StoredValuesWinExceptConfigOnes) {
    auto config = sample_config();
    json::Json stored = parse(R"([{"name":"core","configurations":[
        {"name":"language","value":"fr"},{"name":"homePage","value":"x"},
        {"name":"davserver","value":"https://elsewhere"},
        {"name":"datetime","value":{"timeZone":"Asia/Tokyo","use24hourFormat":false}}]},
        {"name":"other","configurations":[{"name":"key","value":[1]}]}])");
    settings::UserSettings s(config, stored.get());
    EXPECT_EQ(s.value("core", "language").dump(), R"("fr")");
    EXPECT_EQ(s.value("core", "homePage").dump(), "null");
    EXPECT_NE(s.value("core", "davserver").dump().find("edge.example.com"), std::string::npos);
    EXPECT_EQ(s.value("other", "key").dump(), "[1]");
    EXPECT_EQ(s.timezone(), "Asia/Tokyo");
    EXPECT_EQ(s.language(), "fr");
}

TEST(UserSettings, UnusableStoredZoneIsUtc) {
    auto config = sample_config();
    json::Json stored = parse(
        R"([{"name":"core","configurations":[{"name":"datetime","value":{"timeZone":null}}]}])");
    EXPECT_EQ(settings::UserSettings(config, stored.get()).timezone(), "UTC");
    EXPECT_TRUE(settings::plausible_timezone("America/Argentina/Buenos_Aires"));
    EXPECT_FALSE(settings::plausible_timezone("paris"));
    EXPECT_FALSE(settings::plausible_timezone("Europe/"));
}

TEST(UserSettings, MergeIncomingWinsByModuleAndKey) {
    json::Json stored = parse(R"([{"name":"core","configurations":[{"name":"language","value":"fr"},
        {"name":"datetime","value":{"timeZone":"UTC"}}]}])");
    json::Json incoming =
        parse(R"([{"name":"core","configurations":[{"name":"language","value":"vi"}]},
        {"name":"calendar","configurations":[{"name":"alarmEmails","value":false}]}])");
    EXPECT_EQ(settings::merge_modules(stored.get(), incoming.get()).dump(),
              R"([{"name":"core","configurations":[{"name":"language","value":"vi"},)"
              R"({"name":"datetime","value":{"timeZone":"UTC"}}]},)"
              R"({"name":"calendar","configurations":[{"name":"alarmEmails","value":false}]}])");
}

TEST(UserSettings, BodyValidation) {
    EXPECT_TRUE(settings::parse_modules_body(parse(R"([])").get()));
    auto collapsed = settings::parse_modules_body(
        parse(
            R"([{"name":"core","configurations":[{"name":"a","value":1},{"name":"a","value":null}]}])")
            .get());
    ASSERT_TRUE(collapsed);
    EXPECT_EQ(collapsed->dump(),
              R"([{"name":"core","configurations":[{"name":"a","value":null}]}])");
    for (const char* bad :
         {R"({})", R"([1])", R"([{"name":"","configurations":[]}])", R"([{"name":"core"}])",
          R"([{"name":"core","configurations":[{"value":1}]}])",
          R"([{"name":"core","configurations":[{"name":"a"}]}])",
          R"([{"name":"core","configurations":[{"name":"a","value":1,"x":2}]}])"}) {
        EXPECT_FALSE(settings::parse_modules_body(parse(bad).get())) << bad;
    }
}

TEST(UserStore, FirstNamesAndRegexEscaping) {
    EXPECT_EQ(store::split_first_names("Alice  Marie "),
              (std::vector<std::string>{"Alice", "Marie"}));
    EXPECT_TRUE(store::split_first_names("").empty());
    EXPECT_EQ(store::escape_regex("a.b*(c)+[d]"), "a\\.b\\*\\(c\\)\\+\\[d\\]");
}
