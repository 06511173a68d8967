#pragma once

#include <stdexcept>
#include <string>

namespace twake::jwt {

// A token or key that cannot be used. The reason is short and fixed ("expired", "bad
// signature"): it never quotes the token or any of its parts, because the message ends up in
// logs and error bodies, and a token is a credential (docs/reference/auth.md §7.1).
class JwtError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

}  // namespace twake::jwt
