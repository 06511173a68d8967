// The locale of a participation link's answer page (docs/reference/rest-api.md §16).

#include <gtest/gtest.h>

#include "worker/services/event_participation.hpp"

using twake::services::language_code;

TEST(EventParticipation, TheLocaleIsALanguageCode) {
    EXPECT_EQ(language_code("fr"), "fr");
    EXPECT_EQ(language_code("fr-CA"), "fr");
    EXPECT_EQ(language_code("pt_BR"), "pt");
    EXPECT_EQ(language_code("EN"), "en");
    EXPECT_EQ(language_code(""), "en");
}
