#pragma once

// Which credential a request carries (docs/reference/auth.md §1.2), read from its Authorization
// header(s).
// Pure: the nginx glue hands the header values in.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace twake::edge {

enum class CredentialKind {
    None,         // no Authorization header
    TooMany,      // several Authorization headers: 400
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

Credential read_credential(std::span<const std::string_view> authorization_headers);
inline Credential read_credential(const std::vector<std::string_view>& authorization_headers) {
    return read_credential(std::span<const std::string_view>(authorization_headers));
}

}  // namespace twake::edge
