#pragma once

// What the identity provider's two answers (introspection and userinfo, asked in parallel) say
// about an opaque token (docs/reference/auth.md §2.1–2.3, docs/reference/edge-worker.md §5). Pure:
// statuses and bodies in, a verdict out.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace twake::edge {

struct TokenInfo {
    std::string email;  // lower-cased
    std::optional<std::string> sid;
    int64_t exp = 0;  // epoch seconds
    std::vector<std::string> audiences;
    std::optional<std::string> given_name;  // for provisioning only, never cached
    std::optional<std::string> family_name;
};

enum class TokenVerdict {
    Valid,
    Refused,      // inactive, expired, other audience, claims missing: 401 (and a negative entry)
    Unavailable,  // the IdP is down, slow or answers 5xx: 503, nothing cached
};

struct TokenResolution {
    TokenVerdict verdict = TokenVerdict::Refused;
    TokenInfo info;
    std::string reason;  // short, for the error body and logs; never the token
};

struct OidcSettings {
    std::vector<std::string> audiences;  // at least one must be in the token's `aud`
    std::string claim = "email";         // userinfo member holding the username
};

// `*_status` is the HTTP status of each answer, 0 when there was none (connection failed).
TokenResolution resolve_token(int introspection_status, std::string_view introspection_body,
                              int userinfo_status, std::string_view userinfo_body,
                              const OidcSettings& settings, int64_t now);

// The checks made on every request, also for a cached token (docs/reference/auth.md §2.3).
bool audience_accepted(const std::vector<std::string>& token_audiences,
                       const OidcSettings& settings);

// The same check on `;`-joined audiences (a cached token), without splitting them.
bool joined_audience_accepted(std::string_view joined, const OidcSettings& settings);

// `;`-joined audiences, as the Redis layout stores them (docs/reference/edge-worker.md §4.2).
std::string join_audiences(const std::vector<std::string>& audiences);
std::vector<std::string> split_audiences(std::string_view joined);

}  // namespace twake::edge
