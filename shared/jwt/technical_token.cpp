#include "shared/jwt/technical_token.hpp"

#include <openssl/crypto.h>

#include <cstdio>
#include <optional>
#include <utility>

#include "shared/config/config_error.hpp"
#include "shared/jwt/compact_jws.hpp"
#include "shared/crypto/digest.hpp"
#include "shared/jwt/jwt_error.hpp"
#include "shared/jwt/time_claims.hpp"

namespace twake::jwt {

namespace {

constexpr std::string_view kHs256Header = R"({"alg":"HS256","typ":"JWT"})";
// HS256 keys shorter than the hash are weak (RFC 7518 §3.2).
constexpr size_t kMinimumSecretSize = 32;

// The header must say HS256: the secret is never used with any other algorithm.
void check_hs256_header(const cJSON* header) {
    std::optional<std::string> alg = json::string_member(header, "alg");
    if (!alg || *alg != "HS256") {
        throw JwtError("algorithm not accepted");
    }
}

// Recomputes the HMAC and compares in constant time (libjwt 1.10 compares HMACs with
// strcmp, which leaks how many leading characters match).
void check_hs256_signature(const CompactJws& jws, std::string_view secret) {
    std::string expected = crypto::hmac_sha256(secret, jws.signing_input);
    if (jws.signature.size() != expected.size() ||
        CRYPTO_memcmp(jws.signature.data(), expected.data(), expected.size()) != 0) {
        throw JwtError("bad signature");
    }
}

void check_technical_claims(const cJSON* claims) {
    if (json::string_member(claims, "iss") != std::string(kTechnicalTokenIssuer)) {
        throw JwtError("wrong issuer");
    }
    if (json::bool_member(claims, "technicalToken") != true) {
        throw JwtError("not a technical token");
    }
    if (!json::string_member(claims, "domainId")) {
        throw JwtError("missing domainId");
    }
    if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(claims, "data"))) {
        throw JwtError("missing data");
    }
}

int64_t epoch_seconds(std::chrono::system_clock::time_point time) {
    return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

}  // namespace

TechnicalTokenIssuer::TechnicalTokenIssuer(std::string secret, std::chrono::seconds validity)
    : secret_(std::move(secret)), validity_(validity) {
    // Shorter secrets are accepted (a cluster may share one with Java instances); the worker
    // warns about them at start (weak_secret()).
    if (secret_.empty()) {
        throw config::ConfigError("'jwt.technical.token.secret' must not be empty");
    }
    if (validity_.count() <= 0) {
        throw config::ConfigError(
            "'jwt.technical.token.expiration' must be a positive number of seconds");
    }
}

bool TechnicalTokenIssuer::weak_secret() const {
    return secret_.size() < kMinimumSecretSize;
}

std::string TechnicalTokenIssuer::issue(std::string_view domain_id,
                                        std::chrono::system_clock::time_point now) const {
    json::Json claims = json::Json::object();
    claims.set("iss", kTechnicalTokenIssuer);
    claims.set("domainId", domain_id);
    claims.set("technicalToken", true);
    claims.set("data", technical_user_data(domain_id));
    claims.set("exp", static_cast<double>(epoch_seconds(now + validity_)));
    std::string input = encode_signing_input(kHs256Header, claims.dump());
    return append_signature(input, crypto::hmac_sha256(secret_, input));
}

TechnicalTokenClaims TechnicalTokenIssuer::verify(std::string_view token,
                                                  std::chrono::system_clock::time_point now) const {
    CompactJws jws = decode_compact_jws(token);
    check_hs256_header(jws.header.get());
    check_hs256_signature(jws, secret_);
    cJSON* claims = jws.payload.get();
    check_technical_claims(claims);
    check_time_claims(claims, ExpiryRule::Required, now);
    TechnicalTokenClaims result;
    result.domain_id = *json::string_member(claims, "domainId");
    result.data = json::Json(cJSON_DetachItemFromObjectCaseSensitive(claims, "data"));
    return result;
}

json::Json technical_user_data(std::string_view domain_id) {
    json::Json principal = json::Json::object();
    principal.set("principal", "principals/technicalUser");
    json::Json data = json::Json::object();
    data.set("data", std::move(principal));
    data.set("type", "dav");
    data.set("user_type", "technical");
    data.set("schemaVersion", 1);
    data.set("__v", 0);
    data.set("description", "Allows to authenticate on Sabre DAV");
    data.set("name", "Sabre Dav");
    data.set("domainId", domain_id);
    data.set("_id", name_based_uuid(domain_id));
    return data;
}

std::string name_based_uuid(std::string_view name) {
    std::string hash = crypto::md5(name);
    auto byte = [&](size_t i) { return static_cast<unsigned char>(hash[i]); };
    hash[6] = static_cast<char>((byte(6) & 0x0f) | 0x30);  // version 3
    hash[8] = static_cast<char>((byte(8) & 0x3f) | 0x80);  // IETF variant
    std::string out;
    char hex[3];
    for (size_t i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) {
            out.push_back('-');
        }
        std::snprintf(hex, sizeof hex, "%02x", byte(i));
        out += hex;
    }
    return out;
}

}  // namespace twake::jwt
