#pragma once

// `exp` and `nbf` (RFC 7519 §4.1.4–4.1.5), enforced with no clock skew, as upstream does.

#include <cjson/cJSON.h>

#include <chrono>

namespace twake::jwt {

// Login and technical tokens must expire; emailed participation links never do
// (docs/reference/auth.md §6.2).
enum class ExpiryRule { Required, Optional };

// Throws JwtError("expired" | "not yet valid" | "missing exp" | "malformed exp" |
// "malformed nbf"). A token is valid from `nbf` included to `exp` excluded.
void check_time_claims(const cJSON* claims, ExpiryRule rule,
                       std::chrono::system_clock::time_point now);

}  // namespace twake::jwt
