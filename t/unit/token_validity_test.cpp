#include <gtest/gtest.h>

#include <string>

#include "shared/config/config_error.hpp"
#include "shared/jwt/token_validity.hpp"

using namespace std::chrono;
using twake::config::ConfigError;
using twake::jwt::parse_iso8601_duration;
using twake::jwt::parse_token_validity;

TEST(Iso8601Duration, ReadsDaysHoursMinutesSeconds) {
    EXPECT_EQ(parse_iso8601_duration("PT12H"), hours(12));
    EXPECT_EQ(parse_iso8601_duration("P1D"), hours(24));
    EXPECT_EQ(parse_iso8601_duration("PT30M"), minutes(30));
    EXPECT_EQ(parse_iso8601_duration("PT1H30M"), minutes(90));
    EXPECT_EQ(parse_iso8601_duration("PT45S"), seconds(45));
    EXPECT_EQ(parse_iso8601_duration("P2DT3H4M5S"), hours(51) + minutes(4) + seconds(5));
    EXPECT_EQ(parse_iso8601_duration("PT0S"), milliseconds(0));
}

TEST(Iso8601Duration, AnyCaseAndFractionalSeconds) {
    EXPECT_EQ(parse_iso8601_duration("pt12h"), hours(12));
    EXPECT_EQ(parse_iso8601_duration("p1dT1h"), hours(25));
    EXPECT_EQ(parse_iso8601_duration("PT1.5S"), milliseconds(1500));
    EXPECT_EQ(parse_iso8601_duration("PT0,25S"), milliseconds(250));
    EXPECT_EQ(parse_iso8601_duration("PT0.123456789S"), milliseconds(123));
}

TEST(Iso8601Duration, RefusesWhatJavaDurationRefusesAndSigns) {
    for (const char* text : {"",
                             "P",
                             "PT",
                             "P1DT",
                             "T1H",
                             "12H",
                             "PT1H1H",
                             "PT30M1H",
                             "P1H",
                             "PT1D",
                             "P1Y",
                             "P1M",
                             "P1W",
                             "PT-1H",
                             "-PT1H",
                             "PT1.5H",
                             "PT.5S",
                             "PT1.S",
                             "PT1.1234567890S",
                             "PT1H ",
                             " PT1H",
                             "PTH",
                             "P1DT1H2",
                             "PT99999999999H"}) {
        EXPECT_FALSE(parse_iso8601_duration(text)) << text;
    }
}

TEST(TokenValidity, AcceptsIsoAndJamesForms) {
    EXPECT_EQ(parse_token_validity("PT12H", "jwt.key.validity"), hours(12));
    EXPECT_EQ(parse_token_validity(" P1D ", "jwt.key.validity"), hours(24));
    EXPECT_EQ(parse_token_validity("12h", "jwt.key.validity"), hours(12));
    EXPECT_EQ(parse_token_validity("1d", "jwt.key.validity"), hours(24));
    EXPECT_EQ(parse_token_validity("30 minutes", "jwt.key.validity"), minutes(30));
    EXPECT_EQ(parse_token_validity("3600000", "jwt.key.validity"), hours(1));
}

TEST(TokenValidity, RefusesZeroAndNonsenseNamingTheKey) {
    for (const char* text : {"", "PT0S", "0", "0h", "soon", "P1Y", "-PT1H", "PT"}) {
        try {
            parse_token_validity(text, "jwt.key.validity");
            ADD_FAILURE() << text;
        } catch (const ConfigError& e) {
            std::string message = e.what();
            EXPECT_NE(message.find("jwt.key.validity"), std::string::npos) << text;
            EXPECT_NE(message.find("PT12H"), std::string::npos) << text;
        }
    }
}
