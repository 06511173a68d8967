#include <gtest/gtest.h>

#include "shared/config/duration.hpp"

using namespace std::chrono;
using twake::config::ConfigError;
using twake::config::DurationUnit;
using twake::config::parse_duration;

TEST(Duration, UnitsAndLongForms) {
    EXPECT_EQ(parse_duration("500ms", DurationUnit::Seconds, "k"), milliseconds(500));
    EXPECT_EQ(parse_duration("30s", DurationUnit::Seconds, "k"), seconds(30));
    EXPECT_EQ(parse_duration("30 seconds", DurationUnit::Seconds, "k"), seconds(30));
    EXPECT_EQ(parse_duration("5m", DurationUnit::Seconds, "k"), minutes(5));
    EXPECT_EQ(parse_duration("5 MINUTES", DurationUnit::Seconds, "k"), minutes(5));
    EXPECT_EQ(parse_duration("12h", DurationUnit::Seconds, "k"), hours(12));
    EXPECT_EQ(parse_duration("1d", DurationUnit::Seconds, "k"), hours(24));
    EXPECT_EQ(parse_duration("2w", DurationUnit::Seconds, "k"), hours(24 * 14));
    EXPECT_EQ(parse_duration("1y", DurationUnit::Seconds, "k"), hours(24 * 365));
}

TEST(Duration, BareNumberTakesTheKeysDefaultUnit) {
    EXPECT_EQ(parse_duration("300", DurationUnit::Milliseconds, "k"), milliseconds(300));
    EXPECT_EQ(parse_duration("60", DurationUnit::Seconds, "k"), seconds(60));
}

TEST(Duration, RejectsWhatIsNotADuration) {
    EXPECT_THROW(parse_duration("", DurationUnit::Seconds, "k"), ConfigError);
    EXPECT_THROW(parse_duration("abc", DurationUnit::Seconds, "k"), ConfigError);
    EXPECT_THROW(parse_duration("-5s", DurationUnit::Seconds, "k"), ConfigError);
    EXPECT_THROW(parse_duration("5 parsecs", DurationUnit::Seconds, "k"), ConfigError);
    EXPECT_THROW(parse_duration("PT12H", DurationUnit::Seconds, "k"), ConfigError);
    EXPECT_THROW(parse_duration("99999999999999999y", DurationUnit::Seconds, "k"), ConfigError);
}

TEST(Duration, MessageNamesKeyAndForm) {
    try {
        parse_duration("soon", DurationUnit::Seconds, "healthcheck.period");
        FAIL();
    } catch (const ConfigError& e) {
        std::string m = e.what();
        EXPECT_NE(m.find("healthcheck.period"), std::string::npos);
        EXPECT_NE(m.find("30s"), std::string::npos);
    }
}
