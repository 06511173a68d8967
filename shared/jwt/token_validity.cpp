#include "shared/jwt/token_validity.hpp"

#include <cctype>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>

#include "shared/config/duration.hpp"
#include "shared/config/properties.hpp"

namespace twake::jwt {

namespace {

constexpr int64_t kMillisPerSecond = 1000;
// Far beyond any sensible token lifetime; keeps a sum of four parts in milliseconds (days
// included) below int64 overflow.
constexpr int64_t kMaxAmount = 1'000'000'000;

// Reads digits at `pos`; nullopt when there are none or too many.
std::optional<int64_t> read_number(std::string_view text, size_t& pos) {
    size_t start = pos;
    int64_t value = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
        value = value * 10 + (text[pos] - '0');
        if (value > kMaxAmount) {
            return std::nullopt;
        }
        ++pos;
    }
    return pos == start ? std::nullopt : std::optional<int64_t>(value);
}

// Milliseconds of a fraction of a second at `pos` (after the '.'); extra digits are dropped.
std::optional<int64_t> read_fraction_millis(std::string_view text, size_t& pos) {
    size_t start = pos;
    int64_t millis = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
        if (pos - start < 3) {
            millis = millis * 10 + (text[pos] - '0');
        }
        ++pos;
    }
    if (pos == start || pos - start > 9) {
        return std::nullopt;
    }
    for (size_t digits = pos - start; digits < 3; ++digits) {
        millis *= 10;
    }
    return millis;
}

// The allowed units in order: each may appear once, days before the 'T', the rest after it.
struct IsoUnit {
    char letter;
    bool after_t;
    int64_t millis;
};
constexpr IsoUnit kIsoUnits[] = {
    {'D', false, 24 * 3600 * kMillisPerSecond},
    {'H', true, 3600 * kMillisPerSecond},
    {'M', true, 60 * kMillisPerSecond},
    {'S', true, kMillisPerSecond},
};

// Where the reading of an upper-cased ISO-8601 duration stands.
struct IsoCursor {
    std::string_view text;
    size_t pos = 1;  // after the 'P'
    size_t next_unit = 0;
    bool in_time = false;

    bool at_end() const { return pos == text.size(); }
};

// The unit letter at the cursor, which must come later than the previous one and on the
// right side of the 'T'; its length in milliseconds.
std::optional<int64_t> take_unit(IsoCursor& cursor) {
    while (cursor.next_unit < std::size(kIsoUnits) &&
           kIsoUnits[cursor.next_unit].letter != cursor.text[cursor.pos]) {
        ++cursor.next_unit;
    }
    if (cursor.next_unit == std::size(kIsoUnits) ||
        kIsoUnits[cursor.next_unit].after_t != cursor.in_time) {
        return std::nullopt;
    }
    ++cursor.pos;
    return kIsoUnits[cursor.next_unit++].millis;
}

// One `<digits>[.<digits>]<unit>` part, in milliseconds. Only seconds take a fraction.
std::optional<int64_t> take_part(IsoCursor& cursor) {
    std::optional<int64_t> amount = read_number(cursor.text, cursor.pos);
    if (!amount || cursor.at_end()) {
        return std::nullopt;
    }
    int64_t fraction = 0;
    if (cursor.text[cursor.pos] == '.' || cursor.text[cursor.pos] == ',') {
        std::optional<int64_t> millis = read_fraction_millis(cursor.text, ++cursor.pos);
        if (!millis || cursor.at_end() || cursor.text[cursor.pos] != 'S') {
            return std::nullopt;
        }
        fraction = *millis;
    }
    std::optional<int64_t> unit = take_unit(cursor);
    if (!unit) {
        return std::nullopt;
    }
    return *amount * *unit + fraction;
}

// The single 'T' between days and time, which something must follow.
bool take_time_designator(IsoCursor& cursor) {
    if (cursor.in_time || cursor.pos + 1 == cursor.text.size()) {
        return false;
    }
    cursor.in_time = true;
    ++cursor.pos;
    return true;
}

std::string upper_case(std::string_view text) {
    std::string upper;
    for (char c : text) {
        upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
    return upper;
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_iso8601_duration(std::string_view text) {
    std::string upper = upper_case(text);
    if (upper.size() < 3 || upper[0] != 'P') {
        return std::nullopt;
    }
    IsoCursor cursor{upper};
    int64_t total = 0;
    while (!cursor.at_end()) {
        if (upper[cursor.pos] == 'T') {
            if (!take_time_designator(cursor)) {
                return std::nullopt;
            }
            continue;
        }
        std::optional<int64_t> part = take_part(cursor);
        if (!part) {
            return std::nullopt;
        }
        total += *part;
    }
    // At least one part (a unit was taken).
    if (cursor.next_unit == 0) {
        return std::nullopt;
    }
    return std::chrono::milliseconds(total);
}

std::chrono::milliseconds parse_token_validity(std::string_view text, std::string_view key) {
    std::string value = config::trim(text);
    auto fail = [&](std::string_view problem) {
        return config::ConfigError("'" + std::string(key) + "' = '" + value + "' " +
                                   std::string(problem) +
                                   "; expected an ISO-8601 duration (PT12H, P1D, PT1H30M) or a "
                                   "number with a unit (12h, 1d, 30m; no unit = milliseconds)");
    };
    std::optional<std::chrono::milliseconds> validity;
    if (!value.empty() && (value[0] == 'P' || value[0] == 'p')) {
        validity = parse_iso8601_duration(value);
    } else {
        try {
            validity = config::parse_duration(value, config::DurationUnit::Milliseconds, key);
        } catch (const config::ConfigError&) {
            // Rethrown below with a message naming both accepted forms.
        }
    }
    if (!validity) {
        throw fail("is not a duration");
    }
    if (validity->count() <= 0) {
        throw fail("is not longer than zero");
    }
    return *validity;
}

}  // namespace twake::jwt
