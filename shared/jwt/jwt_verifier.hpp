#pragma once

// RS256 verification of legacy OpenPaaS JWTs and participation links (docs/reference/auth.md §4.4,
// §6.2).
//
// libjwt 1.10 verifies with whatever algorithm the token's header names: given an RSA public
// key and a token saying HS256, it checks an HMAC keyed with the PEM text, which anyone can
// compute. The header is therefore read here first and only RS256 goes on to libjwt
// (docs/reference/auth.md §4.4), and libjwt's own reading of `alg` is checked again after it.

#include <chrono>
#include <string_view>
#include <vector>

#include "shared/json/json.hpp"
#include "shared/jwt/rsa_keys.hpp"
#include "shared/jwt/time_claims.hpp"

namespace twake::jwt {

class JwtVerifier {
  public:
    // Tokens signed by any of `keys` are accepted. Throws JwtError when the list is empty.
    explicit JwtVerifier(std::vector<RsaPublicKey> keys);

    // The claims of a valid token. Throws JwtError with a short reason: "malformed token",
    // "algorithm not accepted", "kid not accepted", "bad signature", "expired"...
    json::Json verify(std::string_view token, ExpiryRule rule,
                      std::chrono::system_clock::time_point now) const;
    json::Json verify(std::string_view token, ExpiryRule rule) const {
        return verify(token, rule, std::chrono::system_clock::now());
    }

  private:
    std::vector<RsaPublicKey> keys_;

    bool signed_by_a_key(std::string_view token) const;
};

}  // namespace twake::jwt
