#pragma once

// Technical tokens (docs/reference/auth.md §5.2–5.3): HS256 JWTs the worker signs for domain-level
// calls to esn-sabre, which esn-sabre hands back to the introspection route.

#include <chrono>
#include <string>
#include <string_view>

#include "shared/json/json.hpp"

namespace twake::jwt {

inline constexpr std::string_view kTechnicalTokenIssuer = "Twake-calendar-side-service";

// What a valid technical token carries.
struct TechnicalTokenClaims {
    std::string domain_id;
    json::Json data;  // a JSON object, the members the introspection route answers
};

// Signs technical tokens and recognises the ones signed with the same secret (by any
// instance, Java or C++, that shares it).
class TechnicalTokenIssuer {
  public:
    // `secret` is `jwt.technical.token.secret` (HMAC key = its bytes), not empty;
    // `validity` is `jwt.technical.token.expiration`, positive. Throws config::ConfigError.
    TechnicalTokenIssuer(std::string secret, std::chrono::seconds validity);

    // Under 32 bytes: accepted for compatibility, worth a warning.
    bool weak_secret() const;

    std::string issue(std::string_view domain_id, std::chrono::system_clock::time_point now) const;

    // Throws JwtError ("algorithm not accepted", "bad signature", "wrong issuer", "expired",
    // "not a technical token"...).
    TechnicalTokenClaims verify(std::string_view token,
                                std::chrono::system_clock::time_point now) const;

  private:
    std::string secret_;
    std::chrono::seconds validity_;
};

// The `data` claim of §5.2 for a domain.
json::Json technical_user_data(std::string_view domain_id);

// Java's `UUID.nameUUIDFromBytes` (version 3, MD5 of the bytes without a namespace), lower
// case 8-4-4-4-12: upstream derives the technical user's `_id` from the domain id this way.
std::string name_based_uuid(std::string_view name);

}  // namespace twake::jwt
