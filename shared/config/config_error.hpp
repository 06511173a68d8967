#pragma once

#include <stdexcept>
#include <string>

namespace twake::config {

// A configuration value that cannot be used. The message names the file or key and says
// what form was expected, so that an operator can fix it without reading code.
class ConfigError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

}  // namespace twake::config
