#pragma once

// Which credential a request carries (docs/reference/auth.md §1.2), read from its Authorization header.
// Pure: the nginx glue hands the header value in. (nginx itself refuses a request with two
// Authorization headers, with a 400, before any module runs.)

#include <optional>
#include <string>
#include <string_view>

namespace twake::edge {

enum class CredentialKind {
    None,         // no Authorization header
    Basic,        // "Basic …" with a login and a password
    LegacyJwt,    // "Bearer eyJ…" whose payload says twake_calendar_auth_type = jwt
    Bearer,       // any other Bearer token: OIDC
    Unsupported,  // malformed Basic, an unknown scheme, an empty token: 401
};

struct Credential {
    CredentialKind kind = CredentialKind::None;
    std::string login;     // Basic
    std::string password;  // Basic
    // LegacyJwt, Bearer: a view into the header value, which nginx keeps for the request (no
    // copy on the per-request path).
    std::string_view token;
};

// `authorization`: the header's value, nothing when the request has none.
Credential read_credential(std::optional<std::string_view> authorization);

}  // namespace twake::edge
