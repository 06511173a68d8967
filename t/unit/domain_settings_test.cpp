#include <gtest/gtest.h>

#include "worker/settings/domain_settings.hpp"

using namespace twake;
using settings::CalendarVisibility;
using settings::DomainSettings;
using settings::SettingsBodyError;
using settings::UserSearchMode;

namespace {

template <class T>
using Action = typename settings::FieldPatch<T>::Action;

SettingsBodyError::Kind put_refusal(const char* body) {
    try {
        settings::parse_settings_replacement(body);
    } catch (const SettingsBodyError& e) {
        return e.kind();
    }
    ADD_FAILURE() << "accepted: " << body;
    return SettingsBodyError::Kind::Malformed;
}

std::string patch_refusal(const char* body, SettingsBodyError::Kind expected) {
    try {
        settings::parse_settings_patch(body);
    } catch (const SettingsBodyError& e) {
        EXPECT_EQ(e.kind(), expected) << body;
        return e.what();
    }
    ADD_FAILURE() << "accepted: " << body;
    return "";
}

}  // namespace

TEST(DomainSettings, EnumsAreCaseInsensitiveAndWrittenLowerCase) {
    EXPECT_EQ(settings::parse_user_search_mode("LIMITED"), UserSearchMode::Limited);
    EXPECT_EQ(settings::parse_user_search_mode("Disabled"), UserSearchMode::Disabled);
    EXPECT_EQ(settings::parse_user_search_mode("enabled"), UserSearchMode::Enabled);
    EXPECT_EQ(settings::parse_user_search_mode("on"), std::nullopt);
    EXPECT_EQ(settings::parse_user_search_mode(""), std::nullopt);
    EXPECT_EQ(settings::parse_calendar_visibility("Read"), CalendarVisibility::Read);
    EXPECT_EQ(settings::parse_calendar_visibility("PRIVATE"), CalendarVisibility::Private);
    EXPECT_EQ(settings::parse_calendar_visibility("public"), std::nullopt);
    EXPECT_EQ(settings::name_of(UserSearchMode::Limited), "limited");
    EXPECT_EQ(settings::name_of(CalendarVisibility::Read), "read");
}

TEST(DomainSettings, NothingStoredResolvesToTheBuiltInDefaults) {
    config::WorkerConfig config;
    auto r = settings::resolve(DomainSettings{}, "example.com", config);
    EXPECT_EQ(settings::to_json(r).dump(),
              R"({"userSearchMode":"enabled","resourceSearchEnabled":true,)"
              R"("defaultCalendarPublicVisibility":"private",)"
              R"("calendarPublicVisibilitySettingEnabled":true})");
    EXPECT_EQ(settings::to_json(DomainSettings{}).dump(),
              R"({"userSearchMode":null,"resourceSearchEnabled":null,)"
              R"("defaultCalendarPublicVisibility":null,)"
              R"("calendarPublicVisibilitySettingEnabled":null})");
}

TEST(DomainSettings, ConfigurationIsTheFallback) {
    config::WorkerConfig config;
    config.user_search_disabled_domains = {"off.example", "both.example"};
    config.user_search_limited_domains = {"saas.example", "both.example"};
    config.resource_search = false;
    config.default_calendar_visibility = "read";
    config.calendar_visibility_setting = false;
    EXPECT_EQ(settings::resolve({}, "off.example", config).user_search_mode,
              UserSearchMode::Disabled);
    // Disabled wins over limited when a domain is in both lists.
    EXPECT_EQ(settings::resolve({}, "both.example", config).user_search_mode,
              UserSearchMode::Disabled);
    EXPECT_EQ(settings::resolve({}, "saas.example", config).user_search_mode,
              UserSearchMode::Limited);
    auto r = settings::resolve({}, "other.example", config);
    EXPECT_EQ(r.user_search_mode, UserSearchMode::Enabled);
    EXPECT_FALSE(r.resource_search_enabled);
    EXPECT_EQ(r.default_calendar_public_visibility, CalendarVisibility::Read);
    EXPECT_FALSE(r.calendar_public_visibility_setting_enabled);
}

TEST(DomainSettings, StoredValuesWinOverTheConfiguration) {
    config::WorkerConfig config;
    config.user_search_disabled_domains = {"example.com"};
    config.resource_search = false;
    config.default_calendar_visibility = "read";
    config.calendar_visibility_setting = false;
    DomainSettings stored{UserSearchMode::Enabled, true, CalendarVisibility::Private, true};
    auto r = settings::resolve(stored, "example.com", config);
    EXPECT_EQ(r.user_search_mode, UserSearchMode::Enabled);
    EXPECT_TRUE(r.resource_search_enabled);
    EXPECT_EQ(r.default_calendar_public_visibility, CalendarVisibility::Private);
    EXPECT_TRUE(r.calendar_public_visibility_setting_enabled);
    EXPECT_EQ(settings::to_json(stored).dump(),
              R"({"userSearchMode":"enabled","resourceSearchEnabled":true,)"
              R"("defaultCalendarPublicVisibility":"private",)"
              R"("calendarPublicVisibilitySettingEnabled":true})");
}

TEST(DomainSettings, ReplacementNeedsAllFourMembers) {
    auto s = settings::parse_settings_replacement(
        R"({"userSearchMode":"LIMITED","resourceSearchEnabled":null,)"
        R"("defaultCalendarPublicVisibility":"Read","calendarPublicVisibilitySettingEnabled":false})");
    EXPECT_EQ(s.user_search_mode, UserSearchMode::Limited);
    EXPECT_EQ(s.resource_search_enabled, std::nullopt);
    EXPECT_EQ(s.default_calendar_public_visibility, CalendarVisibility::Read);
    EXPECT_EQ(s.calendar_public_visibility_setting_enabled, false);

    using Kind = SettingsBodyError::Kind;
    EXPECT_EQ(put_refusal(R"({"userSearchMode":"limited"})"), Kind::Malformed);
    EXPECT_EQ(put_refusal(""), Kind::Malformed);
    EXPECT_EQ(put_refusal("[]"), Kind::Malformed);
    EXPECT_EQ(put_refusal("null"), Kind::Malformed);
    EXPECT_EQ(put_refusal(R"({"userSearchMode":null,"resourceSearchEnabled":null,)"
                          R"("defaultCalendarPublicVisibility":null,)"
                          R"("calendarPublicVisibilitySettingEnabled":null} trailing)"),
              Kind::Malformed);
    EXPECT_EQ(put_refusal(R"({"userSearchMode":null,"resourceSearchEnabled":"true",)"
                          R"("defaultCalendarPublicVisibility":null,)"
                          R"("calendarPublicVisibilitySettingEnabled":null})"),
              Kind::Malformed);
    EXPECT_EQ(put_refusal(R"({"userSearchMode":1,"resourceSearchEnabled":null,)"
                          R"("defaultCalendarPublicVisibility":null,)"
                          R"("calendarPublicVisibilitySettingEnabled":null})"),
              Kind::Malformed);
    EXPECT_EQ(put_refusal(R"({"userSearchMode":null,"resourceSearchEnabled":null,)"
                          R"("defaultCalendarPublicVisibility":null,)"
                          R"("calendarPublicVisibilitySettingEnabled":null,"extra":1})"),
              Kind::Malformed);
    // Shape first, then values: an unknown member wins over an unknown enum value.
    EXPECT_EQ(put_refusal(R"({"userSearchMode":"x","resourceSearchEnabled":null,)"
                          R"("defaultCalendarPublicVisibility":null,)"
                          R"("calendarPublicVisibilitySettingEnabled":null,"extra":1})"),
              Kind::Malformed);
    EXPECT_EQ(put_refusal(R"({"userSearchMode":"x","resourceSearchEnabled":null,)"
                          R"("defaultCalendarPublicVisibility":null,)"
                          R"("calendarPublicVisibilitySettingEnabled":null})"),
              Kind::UnknownValue);
}

TEST(DomainSettings, PatchKeepsClearsAndSets) {
    auto p = settings::parse_settings_patch(
        R"({"userSearchMode":"Disabled","resourceSearchEnabled":null})");
    EXPECT_EQ(p.user_search_mode.action, Action<UserSearchMode>::Set);
    EXPECT_EQ(p.user_search_mode.value, UserSearchMode::Disabled);
    EXPECT_EQ(p.resource_search_enabled.action, Action<bool>::Clear);
    EXPECT_EQ(p.default_calendar_public_visibility.action, Action<CalendarVisibility>::Keep);
    EXPECT_EQ(p.calendar_public_visibility_setting_enabled.action, Action<bool>::Keep);
    EXPECT_FALSE(p.changes_nothing());
    EXPECT_TRUE(settings::parse_settings_patch("{}").changes_nothing());
    auto q = settings::parse_settings_patch(R"({"calendarPublicVisibilitySettingEnabled":false})");
    EXPECT_EQ(q.calendar_public_visibility_setting_enabled.action, Action<bool>::Set);
    EXPECT_FALSE(q.calendar_public_visibility_setting_enabled.value);
}

TEST(DomainSettings, PatchRefusals) {
    using Kind = SettingsBodyError::Kind;
    EXPECT_EQ(patch_refusal(R"({"userSearchMode":"sometimes"})", Kind::UnknownValue),
              "Unknown userSearchMode: sometimes");
    EXPECT_EQ(patch_refusal(R"({"defaultCalendarPublicVisibility":"public"})", Kind::UnknownValue),
              "Unknown defaultCalendarPublicVisibility: public");
    patch_refusal(R"({"other":true})", Kind::Malformed);
    patch_refusal(R"({"resourceSearchEnabled":"yes"})", Kind::Malformed);
    patch_refusal(R"({"userSearchMode":true})", Kind::Malformed);
    patch_refusal(R"({"userSearchMode":"limited","userSearchMode":"enabled"})", Kind::Malformed);
    patch_refusal("{", Kind::Malformed);
    patch_refusal("\"limited\"", Kind::Malformed);
}
