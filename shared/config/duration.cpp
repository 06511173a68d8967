#include "shared/config/duration.hpp"

#include <array>
#include <charconv>
#include <cctype>
#include <string>
#include <utility>

#include "shared/config/properties.hpp"

namespace twake::config {

namespace {

constexpr int64_t kSecond = 1000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

constexpr std::array<std::pair<std::string_view, int64_t>, 24> kUnits{{
    {"ms", 1},
    {"msec", 1},
    {"msecs", 1},
    {"s", kSecond},
    {"sec", kSecond},
    {"secs", kSecond},
    {"second", kSecond},
    {"seconds", kSecond},
    {"m", kMinute},
    {"min", kMinute},
    {"mins", kMinute},
    {"minute", kMinute},
    {"minutes", kMinute},
    {"h", kHour},
    {"hour", kHour},
    {"hours", kHour},
    {"d", kDay},
    {"day", kDay},
    {"days", kDay},
    {"w", 7 * kDay},
    {"week", 7 * kDay},
    {"weeks", 7 * kDay},
    {"month", 30 * kDay},
    {"months", 30 * kDay},
}};

int64_t default_factor(DurationUnit unit) {
    switch (unit) {
        case DurationUnit::Milliseconds:
            return 1;
        case DurationUnit::Seconds:
            return kSecond;
        case DurationUnit::Minutes:
            return kMinute;
        case DurationUnit::Hours:
            return kHour;
        case DurationUnit::Days:
            return kDay;
    }
    return 1;
}

}  // namespace

std::chrono::milliseconds parse_duration(std::string_view text, DurationUnit default_unit,
                                         std::string_view key) {
    std::string value = trim(text);
    auto fail = [&]() -> ConfigError {
        return ConfigError("'" + std::string(key) + "' = '" + value +
                           "' is not a duration; expected a non-negative integer with an optional "
                           "unit, e.g. 500ms, 30s, 5m, 12h, 1d");
    };
    int64_t amount = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), amount);
    if (ec != std::errc() || end == value.data() || amount < 0) {
        throw fail();
    }
    std::string unit;
    for (const char* p = end; p != value.data() + value.size(); ++p) {
        if (*p != ' ' && *p != '\t') {
            unit.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(*p))));
        }
    }
    int64_t factor = 0;
    if (unit.empty()) {
        factor = default_factor(default_unit);
    } else if (unit == "y" || unit == "year" || unit == "years") {
        factor = 365 * kDay;
    } else {
        for (const auto& [name, f] : kUnits) {
            if (name == unit) {
                factor = f;
            }
        }
    }
    if (factor == 0) {
        throw fail();
    }
    if (amount > INT64_MAX / factor) {
        throw fail();
    }
    return std::chrono::milliseconds(amount * factor);
}

}  // namespace twake::config
