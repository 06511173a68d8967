#include "shared/jwt/digest.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <memory>
#include <stdexcept>

namespace twake::jwt {

namespace {

struct MdDelete {
    void operator()(EVP_MD* md) const { EVP_MD_free(md); }
};
struct MdCtxDelete {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

// OpenSSL 3 looks an algorithm up in its providers on every use of EVP_sha512() and
// friends, and EVP_Digest allocates a context per call: on the edge's per-request path that
// was most of a digest's cost. Fetch each algorithm once and keep one context per thread.
enum class Algorithm { sha256, sha512, md5 };

const EVP_MD* fetched(Algorithm a) {
    static constexpr const char* kNames[] = {"SHA256", "SHA512", "MD5"};
    static thread_local std::unique_ptr<EVP_MD, MdDelete> cache[3];
    auto& slot = cache[static_cast<int>(a)];
    if (!slot) {
        slot.reset(EVP_MD_fetch(nullptr, kNames[static_cast<int>(a)], nullptr));
        if (!slot) {
            throw std::runtime_error(std::string("OpenSSL has no ") + kNames[static_cast<int>(a)]);
        }
    }
    return slot.get();
}

std::string digest(Algorithm a, std::string_view data) {
    static thread_local std::unique_ptr<EVP_MD_CTX, MdCtxDelete> ctx(EVP_MD_CTX_new());
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (!ctx || EVP_DigestInit_ex2(ctx.get(), fetched(a), nullptr) != 1 ||
        EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 ||
        EVP_DigestFinal_ex(ctx.get(), out, &size) != 1) {
        throw std::runtime_error("OpenSSL digest failed");
    }
    return std::string(reinterpret_cast<const char*>(out), size);
}

}  // namespace

std::string sha256(std::string_view data) {
    return digest(Algorithm::sha256, data);
}

std::string sha512(std::string_view data) {
    return digest(Algorithm::sha512, data);
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
    return digest(Algorithm::md5, data);
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
