#include "shared/jwt/jwt_verifier.hpp"

#include <openssl/err.h>
#include <strings.h>

#include <string>
#include <utility>

#include "shared/jwt/compact_jws.hpp"
#include "shared/jwt/jwt_error.hpp"
#include "shared/jwt/libjwt_handle.hpp"

namespace twake::jwt {

namespace {

// Only RS256 was ever issued (docs/reference/auth.md §4.4): any other alg, `none` included, is
// refused.
// Upstream rejects every token with a `kid`; `crit` names extensions we do not implement.
void check_rs256_header(const cJSON* header) {
    const cJSON* alg = cJSON_GetObjectItemCaseSensitive(header, "alg");
    if (!cJSON_IsString(alg) || std::string_view(alg->valuestring) != "RS256") {
        throw JwtError("algorithm not accepted");
    }
    if (cJSON_GetObjectItemCaseSensitive(header, "kid") != nullptr) {
        throw JwtError("kid not accepted");
    }
    if (cJSON_GetObjectItemCaseSensitive(header, "crit") != nullptr) {
        throw JwtError("crit not accepted");
    }
    // libjwt refuses any other typ too; checked here to give the reason.
    const cJSON* typ = cJSON_GetObjectItemCaseSensitive(header, "typ");
    if (typ != nullptr && (!cJSON_IsString(typ) || strcasecmp(typ->valuestring, "JWT") != 0)) {
        throw JwtError("typ not accepted");
    }
}

// libjwt's signature check with one key. `token` must be NUL-terminated.
bool libjwt_verifies(const std::string& token, const RsaPublicKey& key) {
    jwt_t* decoded = nullptr;
    int status = jwt_decode(&decoded, token.c_str(),
                            reinterpret_cast<const unsigned char*>(key.pem().data()),
                            static_cast<int>(key.pem().size()));
    JwtHandle owner(decoded);
    if (status != 0) {
        // A failed check leaves OpenSSL errors behind; nginx's next TLS call would see them.
        ERR_clear_error();
        return false;
    }
    return jwt_get_alg(owner.get()) == JWT_ALG_RS256;
}

}  // namespace

JwtVerifier::JwtVerifier(std::vector<RsaPublicKey> keys) : keys_(std::move(keys)) {
    if (keys_.empty()) {
        throw JwtError("no public key");
    }
}

bool JwtVerifier::signed_by_a_key(std::string_view token) const {
    std::string text(token);
    for (const RsaPublicKey& key : keys_) {
        if (libjwt_verifies(text, key)) {
            return true;
        }
    }
    return false;
}

json::Json JwtVerifier::verify(std::string_view token, ExpiryRule rule,
                               std::chrono::system_clock::time_point now) const {
    CompactJws jws = decode_compact_jws(token);
    check_rs256_header(jws.header.get());
    if (!signed_by_a_key(token)) {
        throw JwtError("bad signature");
    }
    check_time_claims(jws.payload.get(), rule, now);
    return std::move(jws.payload);
}

}  // namespace twake::jwt
