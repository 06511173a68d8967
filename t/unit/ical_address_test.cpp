// Calendar addresses as they are compared (worker/ical/calendar.hpp).

#include <gtest/gtest.h>

#include <optional>

#include "worker/ical/calendar.hpp"

using twake::ical::bare_address;

TEST(IcalAddress, BareAddresses) {
    EXPECT_EQ(bare_address(" <MAILTO:Bob@Example.com> "), "bob@example.com");
    EXPECT_EQ(bare_address("mailto:bob@example.com"), "bob@example.com");
    EXPECT_EQ(bare_address("bob@example.com"), "bob@example.com");
    EXPECT_EQ(bare_address("mailto:"), std::nullopt);
    EXPECT_EQ(bare_address("bob"), std::nullopt);
}

TEST(IcalAddress, APropertyWithoutValueHasNoAddress) {
    const char* none = nullptr;
    EXPECT_EQ(bare_address(none), std::nullopt);
}
