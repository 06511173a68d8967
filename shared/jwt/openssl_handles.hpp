#pragma once

// Owners of the OpenSSL objects this folder uses, so that no early return or exception leaks
// one.

#include <openssl/bio.h>
#include <openssl/evp.h>

#include <memory>
#include <string_view>

namespace twake::jwt {

struct EvpPkeyFree {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct EvpMdCtxFree {
    void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};
struct BioFree {
    void operator()(BIO* bio) const { BIO_free(bio); }
};

using EvpPkey = std::unique_ptr<EVP_PKEY, EvpPkeyFree>;
using EvpMdCtx = std::unique_ptr<EVP_MD_CTX, EvpMdCtxFree>;
using Bio = std::unique_ptr<BIO, BioFree>;

// A read-only memory BIO over `bytes`, which must outlive it. Throws std::bad_alloc.
Bio memory_bio(std::string_view bytes);

}  // namespace twake::jwt
