#pragma once

// The back-channel logout token as upstream reads it (docs/webadmin.md §5): the `sid` claim of the
// payload of something shaped like a JWT. The signature, `iss`, `aud`, `iat` and `events`
// are NOT checked, for compatibility with upstream: a forged request can only make the edge
// ask the IdP again about tokens of that session (the IdP decides), never grant access.
// That is why the route must be reachable from the IdP's network only (docs/webadmin.md).

#include <stdexcept>
#include <string>
#include <string_view>

namespace twake::webadmin {

// Why a logout token is refused; the message never contains the token.
class LogoutTokenError : public std::invalid_argument {
  public:
    using std::invalid_argument::invalid_argument;
};

// The non-empty `sid` claim. The token must start with "eyJ" and have at least two
// dot-separated parts (empty parts ignored); the second is base64url JSON (padding optional).
// Throws LogoutTokenError.
std::string logout_token_sid(std::string_view token);

}  // namespace twake::webadmin
