#pragma once

// UTC date-times as the APIs and logs write them.

#include <chrono>
#include <string>

namespace twake::text {

struct UtcParts {
    std::string seconds;  // "2025-06-01T10:00:00"
    int millis = 0;       // 0..999
};

UtcParts utc_parts(std::chrono::system_clock::time_point when);

// "2025-06-01T10:00:00.123Z" (ISO-8601, UTC, always three millisecond digits).
std::string iso8601_utc_millis(std::chrono::system_clock::time_point when);
// "2025-06-01T10:00:00Z" (ISO-8601, UTC, second precision; the milliseconds are dropped).
std::string iso8601_utc_seconds(std::chrono::system_clock::time_point when);
// The same for any instant an event may hold: the system clock's nanoseconds end in 2262, a
// calendar's dates do not (fuzzing found a DTSTART in 4060 overflowing the conversion).
std::string iso8601_utc_seconds(std::chrono::sys_seconds when);

}  // namespace twake::text
