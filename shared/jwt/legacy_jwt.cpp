#include "shared/jwt/legacy_jwt.hpp"

#include <strings.h>

#include <cstdint>
#include <optional>

#include "shared/jwt/compact_jws.hpp"
#include "shared/jwt/jwt_error.hpp"
#include "shared/text/base64url.hpp"

namespace twake::jwt {

namespace {

// The payload, the second of exactly three dot-separated parts; nullopt otherwise.
std::optional<std::string_view> payload_part(std::string_view token) {
    size_t first = token.find('.');
    if (first == std::string_view::npos) {
        return std::nullopt;
    }
    size_t second = token.find('.', first + 1);
    if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
        return std::nullopt;
    }
    return token.substr(first + 1, second - first - 1);
}

int64_t epoch_seconds(std::chrono::system_clock::time_point time) {
    return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

}  // namespace

bool is_legacy_jwt(std::string_view bearer_token) {
    if (!bearer_token.starts_with("eyJ")) {
        return false;
    }
    std::optional<std::string_view> payload = payload_part(bearer_token);
    if (!payload) {
        return false;
    }
    // Padding is tolerated here: this only routes the token, verification is strict.
    std::optional<std::string> text = text::decode_base64url(*payload);
    std::optional<json::Json> claims = text ? parse_json_object(*text) : std::nullopt;
    if (!claims) {
        return false;
    }
    std::optional<std::string> type =
        json::string_member(claims->get(), "twake_calendar_auth_type");
    return type && strcasecmp(type->c_str(), "jwt") == 0;
}

json::Json login_claims(std::string_view subject, std::chrono::system_clock::time_point now,
                        std::chrono::milliseconds validity) {
    json::Json claims = json::Json::object();
    claims.set("sub", subject);
    claims.set("twake_calendar_auth_type", "jwt");
    claims.set("iat", static_cast<double>(epoch_seconds(now)));
    claims.set("exp", static_cast<double>(epoch_seconds(now + validity)));
    return claims;
}

std::string verify_login_jwt(const JwtVerifier& verifier, std::string_view token,
                             std::chrono::system_clock::time_point now) {
    json::Json claims = verifier.verify(token, ExpiryRule::Required, now);
    std::optional<std::string> subject = json::string_member(claims.get(), "sub");
    if (!subject || subject->empty()) {
        throw JwtError("missing sub");
    }
    return *subject;
}

}  // namespace twake::jwt
