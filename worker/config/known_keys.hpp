#pragma once

// Every key upstream's files may hold (docs/configuration.md),
// whether this version uses it yet or not, plus the keys the edge/worker split adds. A key
// outside these lists is probably a typo: the worker warns about it once at start.

#include <string_view>

namespace twake::config {

bool known_key(std::string_view file, std::string_view key);

}  // namespace twake::config
