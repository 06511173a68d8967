// UTC date-times as the APIs write them (shared/text/utc_time.hpp).

#include <gtest/gtest.h>

#include "shared/text/utc_time.hpp"

namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;
using twake::text::iso8601_utc_millis;
using twake::text::iso8601_utc_seconds;

TEST(UtcTime, InstantsOfTheSystemClock) {
    std::chrono::system_clock::time_point t{std::chrono::milliseconds(1748772000123)};
    EXPECT_EQ(iso8601_utc_millis(t), "2025-06-01T10:00:00.123Z");
    EXPECT_EQ(iso8601_utc_seconds(t), "2025-06-01T10:00:00Z");
}

TEST(UtcTime, AnEventsInstantBeyondTheSystemClocksRange) {
    // The system clock's nanoseconds end in 2262; an event may start in 4060 (a fuzzing
    // finding: t/fuzz/ics/finding-dtstart-year-4060.ics).
    EXPECT_EQ(iso8601_utc_seconds(sys_seconds(seconds(65983111200))), "4060-12-02T10:00:00Z");
    EXPECT_EQ(iso8601_utc_seconds(sys_seconds(seconds(-86400))), "1969-12-31T00:00:00Z");
    EXPECT_EQ(iso8601_utc_seconds(sys_seconds(seconds(1748772000))), "2025-06-01T10:00:00Z");
}

}  // namespace
