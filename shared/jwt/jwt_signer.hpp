#pragma once

// RS256 signing of legacy OpenPaaS JWTs and participation links (docs/reference/auth.md §4.3,
// §6.2).
//
// Signed here with OpenSSL rather than libjwt: libjwt 1.10 writes its header with sorted keys
// (`{"alg":"RS256","typ":"JWT"}`) and parses the PEM key on every call, while upstream and
// its clients expect `{"typ":"JWT","alg":"RS256"}`.

#include <string>
#include <string_view>
#include <utility>

#include "shared/json/json.hpp"
#include "shared/jwt/rsa_keys.hpp"

namespace twake::jwt {

class JwtSigner {
  public:
    explicit JwtSigner(RsaPrivateKey key) : key_(std::move(key)) {}

    // The compact JWS of `claims` (a JSON object), base64url without padding.
    std::string sign(const json::Json& claims) const;

  private:
    RsaPrivateKey key_;
};

// The raw RS256 signature (RSASSA-PKCS1-v1_5 with SHA-256, RFC 7518 §3.3) of `data`.
// Throws JwtError.
std::string rs256_signature(const RsaPrivateKey& key, std::string_view data);

}  // namespace twake::jwt
