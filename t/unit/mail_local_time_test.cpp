// Dates and times in the recipient's language and zone (docs/mail.md §5.3, §5.4).

#include <gtest/gtest.h>

#include "worker/mail/local_time.hpp"
#include "worker/mail/mail_locale.hpp"

namespace twake::mail {
namespace {

using namespace std::chrono;

EventTime at(sys_seconds t) {
    return EventTime{t, std::nullopt};
}

// 2025-06-02 12:30 UTC, a Monday.
const sys_seconds kNoonThirty = sys_days(2025y / June / 2) + hours(12) + minutes(30);

TEST(LocalTime, EnglishInNewYork) {
    LocalTime t = local_time(at(kNoonThirty), "en", "America/New_York");
    EXPECT_EQ(t.date, "2025-06-02");
    EXPECT_EQ(t.time, "08:30");
    EXPECT_EQ(t.full_date, "Monday, June 2, 2025");
    EXPECT_NE(t.full_date_time.find("Monday, June 2, 2025"), std::string::npos);
    EXPECT_NE(t.full_date_time.find("08:30"), std::string::npos);
    EXPECT_EQ(t.timezone, "America/New_York");
}

TEST(LocalTime, FrenchInParis) {
    LocalTime t = local_time(at(kNoonThirty), "fr", "Europe/Paris");
    EXPECT_EQ(t.time, "14:30");
    EXPECT_EQ(t.full_date, "lundi 2 juin 2025");
    EXPECT_NE(t.full_date_time.find("14:30"), std::string::npos);
}

TEST(LocalTime, ZoneMovesTheDate) {
    LocalTime t = local_time(at(sys_days(2025y / June / 2) + hours(23)), "en", "Asia/Tokyo");
    EXPECT_EQ(t.date, "2025-06-03");
}

TEST(LocalTime, UnknownZoneIsUtc) {
    LocalTime t = local_time(at(kNoonThirty), "en", "Mars/Olympus");
    EXPECT_EQ(t.time, "12:30");
    EXPECT_EQ(t.timezone, "UTC");
}

TEST(LocalTime, AllDayKeepsItsDateEverywhere) {
    EventTime day{sys_days(2025y / June / 2), 2025y / June / 2};
    LocalTime t = local_time(day, "fr", "Pacific/Honolulu");
    EXPECT_EQ(t.date, "2025-06-02");
    EXPECT_EQ(t.full_date, "lundi 2 juin 2025");
    EXPECT_EQ(t.time, "");
}

TEST(MailLocale, RecipientThenSenderThenEnglishUtc) {
    LocaleSettings none;
    LocaleSettings french{"fr", "Europe/Paris"};
    LocaleSettings german{"de", "Europe/Berlin"};
    MailLocale own = choose_locale(french, german);
    EXPECT_EQ(own.language, "fr");
    EXPECT_EQ(own.timezone, "Europe/Paris");
    MailLocale external = choose_locale(none, german);
    EXPECT_EQ(external.language, "de");
    EXPECT_EQ(external.timezone, "Europe/Berlin");
    MailLocale nobody = choose_locale(none, none);
    EXPECT_EQ(nobody.language, "en");
    EXPECT_EQ(nobody.timezone, "UTC");
    MailLocale bad_zone = choose_locale({"fr", "Nowhere/Land"}, none);
    EXPECT_EQ(bad_zone.timezone, "UTC");
}

}  // namespace
}  // namespace twake::mail
