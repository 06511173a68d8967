#pragma once

// RSA keys of the legacy OpenPaaS JWTs (docs/reference/auth.md §4.1), parsed once at start so that
// a bad key fails the start, not a request.

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace twake::jwt {

// An RSA public key, kept as the canonical SubjectPublicKeyInfo PEM that libjwt's verifier
// takes (libjwt parses the PEM itself on every call).
class RsaPublicKey {
  public:
    // `BEGIN PUBLIC KEY` PEM holding an RSA key. Throws JwtError.
    static RsaPublicKey from_pem(std::string_view pem);

    const std::string& pem() const { return pem_; }

  private:
    explicit RsaPublicKey(std::string pem) : pem_(std::move(pem)) {}

    std::string pem_;
};

// An RSA private key. Copies share one immutable EVP_PKEY, which OpenSSL lets several threads
// sign with at once.
class RsaPrivateKey {
  public:
    // PKCS#1 (`BEGIN RSA PRIVATE KEY`) or PKCS#8 (`BEGIN PRIVATE KEY`) PEM, not encrypted.
    // Throws JwtError.
    static RsaPrivateKey from_pem(std::string_view pem);

    RsaPublicKey public_key() const;
    EVP_PKEY* get() const { return key_.get(); }

  private:
    explicit RsaPrivateKey(std::shared_ptr<EVP_PKEY> key) : key_(std::move(key)) {}

    std::shared_ptr<EVP_PKEY> key_;
};

}  // namespace twake::jwt
