// SHA-256 and SHA-512 run on the edge's per-request path. OpenSSL 3's EVP interface spends
// ~200 ns per call in provider bookkeeping (context set-up and teardown), more than hashing a
// token takes; the low-level functions, deprecated but present throughout 3.x, hash directly.
#define OPENSSL_SUPPRESS_DEPRECATED

#include "shared/crypto/digest.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <memory>
#include <stdexcept>

namespace twake::crypto {

namespace {

struct MdDelete {
    void operator()(EVP_MD* md) const { EVP_MD_free(md); }
};
struct MdCtxDelete {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

// MD5 (not on a hot path) goes through EVP, with the algorithm fetched once: OpenSSL 3 looks
// it up in its providers on every use of EVP_md5() otherwise.
const EVP_MD* md5_algorithm() {
    static thread_local std::unique_ptr<EVP_MD, MdDelete> md(EVP_MD_fetch(nullptr, "MD5", nullptr));
    if (!md) {
        throw std::runtime_error("OpenSSL has no MD5");
    }
    return md.get();
}

}  // namespace

Sha256Digest sha256_digest(std::string_view data) {
    static_assert(sizeof(Sha256Digest) == SHA256_DIGEST_LENGTH);
    SHA256_CTX c;
    Sha256Digest out;
    SHA256_Init(&c);
    SHA256_Update(&c, data.data(), data.size());
    SHA256_Final(out.data(), &c);
    return out;
}

std::string sha256(std::string_view data) {
    return std::string(view(sha256_digest(data)));
}

std::string sha512(std::string_view data) {
    SHA512_CTX c;
    unsigned char out[SHA512_DIGEST_LENGTH];
    SHA512_Init(&c);
    SHA512_Update(&c, data.data(), data.size());
    SHA512_Final(out, &c);
    return std::string(reinterpret_cast<const char*>(out), sizeof out);
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
    static thread_local std::unique_ptr<EVP_MD_CTX, MdCtxDelete> ctx(EVP_MD_CTX_new());
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (!ctx || EVP_DigestInit_ex2(ctx.get(), md5_algorithm(), nullptr) != 1 ||
        EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 ||
        EVP_DigestFinal_ex(ctx.get(), out, &size) != 1) {
        throw std::runtime_error("OpenSSL digest failed");
    }
    return std::string(reinterpret_cast<const char*>(out), size);
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
    Sha256Digest a = sha256_digest(supplied);
    Sha256Digest b = sha256_digest(expected);
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace twake::crypto
