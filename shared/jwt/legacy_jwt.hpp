#pragma once

// Login JWTs of the legacy OpenPaaS applications (docs/reference/auth.md §4): what they carry, how
// a Bearer token is recognised as one, and what verifying one yields.

#include <chrono>
#include <string>
#include <string_view>

#include "shared/json/json.hpp"
#include "shared/jwt/jwt_verifier.hpp"

namespace twake::jwt {

// The legacy-JWT test of docs/reference/auth.md §4.3, which routes a Bearer token to this verifier
// rather than to OIDC: `eyJ` prefix, exactly three parts, and a payload whose
// `twake_calendar_auth_type` is "jwt" in any case. Checks the form only, not the signature.
bool is_legacy_jwt(std::string_view bearer_token);

// `{"sub":…,"twake_calendar_auth_type":"jwt","iat":…,"exp":…}` in epoch seconds, for
// `JwtSigner::sign`. `validity` is `jwt.key.validity` (see token_validity.hpp).
json::Json login_claims(std::string_view subject, std::chrono::system_clock::time_point now,
                        std::chrono::milliseconds validity);

// docs/reference/auth.md §4.4 steps 1–3: RS256 signature by a configured key, `exp` required, `nbf`
// and `exp` enforced, non-empty `sub`. Returns the subject (the caller checks its domain).
// Throws JwtError.
std::string verify_login_jwt(const JwtVerifier& verifier, std::string_view token,
                             std::chrono::system_clock::time_point now);

}  // namespace twake::jwt
