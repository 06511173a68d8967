#pragma once

// Lifetimes of minted login JWTs (`jwt.key.validity`, docs/reference/auth.md §4.1). Upstream parses
// the value as an ISO-8601 duration (`PT12H`) while its sample file says `12h`, so both are
// accepted.

#include <chrono>
#include <optional>
#include <string_view>

namespace twake::jwt {

// The subset of ISO-8601 durations Java's `Duration.parse` reads, without signs:
// `P[nD][T[nH][nM][n[.fraction]S]]`, any case, at least one part; fractions below a
// millisecond are dropped. nullopt for anything else (weeks, months and years included).
std::optional<std::chrono::milliseconds> parse_iso8601_duration(std::string_view text);

// ISO-8601 (`PT12H`, `P1D`, `PT1H30M`) or the James syntax of config/duration.hpp (`12h`,
// `1d`; a bare number is milliseconds). Throws config::ConfigError naming `key` when the
// value is neither, or is zero.
std::chrono::milliseconds parse_token_validity(std::string_view text, std::string_view key);

}  // namespace twake::jwt
