#pragma once

#include <string_view>

namespace twake {

// The project's version, from the VERSION file at the root of the repository.
inline constexpr std::string_view kVersion = TWAKE_CALENDAR_VERSION;

}  // namespace twake
