#include "shared/jwt/jwt_signer.hpp"

#include <openssl/err.h>

#include <vector>

#include "shared/jwt/compact_jws.hpp"
#include "shared/jwt/jwt_error.hpp"
#include "shared/jwt/openssl_handles.hpp"

namespace twake::jwt {

namespace {

constexpr std::string_view kRs256Header = R"({"typ":"JWT","alg":"RS256"})";

}  // namespace

// PKCS#1 v1.5 is OpenSSL's default padding for RSA keys.
std::string rs256_signature(const RsaPrivateKey& key, std::string_view data) {
    EvpMdCtx context(EVP_MD_CTX_new());
    size_t size = 0;
    if (!context ||
        EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
        EVP_DigestSign(context.get(), nullptr, &size,
                       reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
        ERR_clear_error();
        throw JwtError("signing failed");
    }
    std::vector<unsigned char> signature(size);
    if (EVP_DigestSign(context.get(), signature.data(), &size,
                       reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
        ERR_clear_error();
        throw JwtError("signing failed");
    }
    return std::string(reinterpret_cast<const char*>(signature.data()), size);
}

std::string JwtSigner::sign(const json::Json& claims) const {
    if (!cJSON_IsObject(claims.get())) {
        throw JwtError("claims are not a JSON object");
    }
    std::string input = encode_signing_input(kRs256Header, claims.dump());
    return append_signature(input, rs256_signature(key_, input));
}

}  // namespace twake::jwt
