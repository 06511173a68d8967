#pragma once

// Keys and hand-made tokens shared by the JWT tests.

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

#include "shared/jwt/compact_jws.hpp"
#include "shared/crypto/digest.hpp"
#include "shared/jwt/jwt_signer.hpp"
#include "shared/jwt/rsa_keys.hpp"

namespace jwt_test {

// The keys live beside this file, so the tests run from any working directory.
inline std::filesystem::path data_path(std::string_view name) {
    return std::filesystem::path(__FILE__).parent_path() / "data" / name;
}

inline std::string read_data(std::string_view name) {
    std::ifstream in(data_path(name), std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline twake::jwt::RsaPrivateKey private_key(std::string_view name) {
    return twake::jwt::RsaPrivateKey::from_pem(read_data(name));
}

inline twake::jwt::RsaPublicKey public_key(std::string_view name) {
    return twake::jwt::RsaPublicKey::from_pem(read_data(name));
}

// 2026-01-01T00:00:00Z.
inline constexpr int64_t kNowSeconds = 1767225600;
inline const std::chrono::system_clock::time_point kNow{std::chrono::seconds(kNowSeconds)};

inline std::chrono::system_clock::time_point at(int64_t epoch_seconds) {
    return std::chrono::system_clock::time_point{std::chrono::seconds(epoch_seconds)};
}

// Tokens with any header, to play the attacker or another issuer.
inline std::string rs256_token(const twake::jwt::RsaPrivateKey& key, std::string_view header,
                               std::string_view payload) {
    std::string input = twake::jwt::encode_signing_input(header, payload);
    return twake::jwt::append_signature(input, twake::jwt::rs256_signature(key, input));
}

inline std::string hs256_token(std::string_view secret, std::string_view header,
                               std::string_view payload) {
    std::string input = twake::jwt::encode_signing_input(header, payload);
    return twake::jwt::append_signature(input, twake::crypto::hmac_sha256(secret, input));
}

// Replaces the character at `index` by another one of the base64url alphabet.
inline std::string flip_char(std::string token, size_t index) {
    token[index] = token[index] == 'A' ? 'B' : 'A';
    return token;
}

}  // namespace jwt_test
