#include "shared/jwt/digest.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace twake::jwt {

namespace {

std::string digest(const EVP_MD* algorithm, std::string_view data) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(data.data(), data.size(), out, &size, algorithm, nullptr) != 1) {
        throw std::runtime_error("OpenSSL digest failed");
    }
    return std::string(reinterpret_cast<const char*>(out), size);
}

}  // namespace

std::string sha256(std::string_view data) {
    return digest(EVP_sha256(), data);
}

std::string sha512(std::string_view data) {
    return digest(EVP_sha512(), data);
}

std::string hex(std::string_view bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char b : bytes) {
        out.push_back(kDigits[b >> 4]);
        out.push_back(kDigits[b & 15]);
    }
    return out;
}

std::string md5(std::string_view data) {
    return digest(EVP_md5(), data);
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    // OpenSSL gives a NULL key a meaning of its own: an empty key gets a valid pointer.
    static const char kNoKey = 0;
    const char* key_bytes = key.empty() ? &kNoKey : key.data();
    if (HMAC(EVP_sha256(), key_bytes, static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(data.data()), data.size(), out,
             &size) == nullptr) {
        throw std::runtime_error("OpenSSL HMAC failed");
    }
    return std::string(reinterpret_cast<const char*>(out), size);
}

bool secrets_equal(std::string_view supplied, std::string_view expected) {
    std::string a = sha256(supplied);
    std::string b = sha256(expected);
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace twake::jwt
