#include "shared/text/utc_time.hpp"

#include <cstdio>
#include <ctime>

namespace twake::text {

UtcParts utc_parts(std::chrono::system_clock::time_point when) {
    auto ms = std::chrono::floor<std::chrono::milliseconds>(when.time_since_epoch()).count();
    // Floor division: instants before 1970 keep a millisecond part in 0..999.
    auto seconds = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    int millis = static_cast<int>(ms - static_cast<long long>(seconds) * 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    return {buf, millis};
}

std::string iso8601_utc_millis(std::chrono::system_clock::time_point when) {
    UtcParts parts = utc_parts(when);
    char millis[8];
    std::snprintf(millis, sizeof millis, ".%03dZ", parts.millis);
    return parts.seconds + millis;
}

std::string iso8601_utc_seconds(std::chrono::system_clock::time_point when) {
    return utc_parts(when).seconds + "Z";
}

std::string iso8601_utc_seconds(std::chrono::sys_seconds when) {
    auto seconds = static_cast<std::time_t>(when.time_since_epoch().count());
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace twake::text
