#include "shared/jwt/rsa_keys.hpp"

#include <openssl/buffer.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include <new>

#include "shared/jwt/jwt_error.hpp"
#include "shared/jwt/openssl_handles.hpp"

namespace twake::jwt {

namespace {

// Without a callback OpenSSL asks for a passphrase on the terminal, which would hang a
// daemon; an encrypted key is refused instead.
int refuse_passphrase(char*, int, int, void*) {
    return -1;
}

void require_rsa(const EvpPkey& key, const char* reason) {
    if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) {
        // Stale errors in the thread's queue would be blamed on nginx's next TLS call.
        ERR_clear_error();
        throw JwtError(reason);
    }
}

// The SubjectPublicKeyInfo PEM of any key holding a public part.
std::string public_pem(EVP_PKEY* key) {
    Bio out(BIO_new(BIO_s_mem()));
    if (!out || PEM_write_bio_PUBKEY(out.get(), key) != 1) {
        throw std::bad_alloc();
    }
    BUF_MEM* text = nullptr;
    BIO_get_mem_ptr(out.get(), &text);
    return std::string(text->data, text->length);
}

}  // namespace

RsaPublicKey RsaPublicKey::from_pem(std::string_view pem) {
    Bio in = memory_bio(pem);
    EvpPkey key(PEM_read_bio_PUBKEY(in.get(), nullptr, refuse_passphrase, nullptr));
    require_rsa(key, "not an RSA public key");
    return RsaPublicKey(public_pem(key.get()));
}

RsaPrivateKey RsaPrivateKey::from_pem(std::string_view pem) {
    Bio in = memory_bio(pem);
    EvpPkey key(PEM_read_bio_PrivateKey(in.get(), nullptr, refuse_passphrase, nullptr));
    require_rsa(key, "not an unencrypted RSA private key");
    return RsaPrivateKey(std::shared_ptr<EVP_PKEY>(key.release(), EvpPkeyFree{}));
}

RsaPublicKey RsaPrivateKey::public_key() const {
    return RsaPublicKey::from_pem(public_pem(key_.get()));
}

}  // namespace twake::jwt
