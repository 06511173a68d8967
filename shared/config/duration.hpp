#pragma once

// Durations as upstream's configuration writes them (James DurationParser): an integer, optional
// blanks, an optional unit (`ms`, `s`, `m`, `h`, `d`, `w`, `month`, `y` and their long forms,
// case-insensitive). A bare number takes the key's default unit.

#include <chrono>
#include <string_view>

#include "shared/config/config_error.hpp"

namespace twake::config {

enum class DurationUnit { Milliseconds, Seconds, Minutes, Hours, Days };

// Throws ConfigError naming `key` and the accepted form.
std::chrono::milliseconds parse_duration(std::string_view text, DurationUnit default_unit,
                                         std::string_view key);

}  // namespace twake::config
