#pragma once

// Input the worker refuses: what the client sent is wrong, not the worker. Thrown where the
// input is checked (the stores, the tasks' query parsers); the API boundaries map it, and only
// it, to a 400 that shows its text. Any other exception is an internal fault: a 500, logged,
// whose text the client never sees.

#include <stdexcept>

namespace twake::errors {

// An std::invalid_argument, so that code catching the standard type keeps working; the
// boundaries catch this type, never the standard one.
class InvalidInput : public std::invalid_argument {
  public:
    using std::invalid_argument::invalid_argument;
};

}  // namespace twake::errors
