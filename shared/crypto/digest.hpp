#pragma once

// Hashes as raw bytes, HMAC, and the constant-time comparison of secrets: what the token
// code, the caches and both binaries' secret checks need (OpenSSL's libcrypto underneath).

#include <array>
#include <string>
#include <string_view>

namespace twake::crypto {

std::string sha256(std::string_view data);
// The same without allocating, for the edge's per-request path.
using Sha256Digest = std::array<unsigned char, 32>;
Sha256Digest sha256_digest(std::string_view data);
inline std::string_view view(const Sha256Digest& d) {
    return {reinterpret_cast<const char*>(d.data()), d.size()};
}
// The Redis token-cache key of docs/reference/edge-worker.md §4.2 is built from this (64 raw
// bytes).
std::string sha512(std::string_view data);
// Lower-case hexadecimal of raw bytes.
std::string hex(std::string_view bytes);
std::string hmac_sha256(std::string_view key, std::string_view data);
// Only for Java's name-based UUIDs (technical user ids), never for security.
std::string md5(std::string_view data);

// Whether a supplied secret (edge secret, admin password) equals the expected one. Compares
// the SHA-256 digests of both with CRYPTO_memcmp, so the time taken reveals neither where
// they differ nor the expected length.
bool secrets_equal(std::string_view supplied, std::string_view expected);

}  // namespace twake::crypto
