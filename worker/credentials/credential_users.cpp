#include "worker/credentials/credential_users.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace twake::credentials {

namespace {

// OWASP's 2023 figure for PBKDF2-HMAC-SHA256 is 600,000; these digests only live in memory
// of an admin-fed store, so a tenth keeps PUT and verify around 50 ms.
constexpr int kIterations = 60000;
constexpr size_t kSaltSize = 16;
constexpr size_t kDerivedSize = 32;

std::string pbkdf2(std::string_view password, const std::string& salt) {
    std::string out(kDerivedSize, '\0');
    if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                          reinterpret_cast<const unsigned char*>(salt.data()),
                          static_cast<int>(salt.size()), kIterations, EVP_sha256(),
                          static_cast<int>(out.size()),
                          reinterpret_cast<unsigned char*>(out.data())) != 1) {
        throw std::runtime_error("OpenSSL PBKDF2 failed");
    }
    return out;
}

}  // namespace

PasswordDigest digest_password(std::string_view password) {
    std::string salt(kSaltSize, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), static_cast<int>(salt.size())) !=
        1) {
        throw std::runtime_error("OpenSSL RAND_bytes failed");
    }
    std::string derived = pbkdf2(password, salt);
    return PasswordDigest{std::move(salt), std::move(derived)};
}

bool password_matches(const PasswordDigest& digest, std::string_view password) {
    std::string derived = pbkdf2(password, digest.salt);
    return derived.size() == digest.derived.size() &&
           CRYPTO_memcmp(derived.data(), digest.derived.data(), derived.size()) == 0;
}

std::vector<std::string> MemoryCredentialUsers::list() {
    std::lock_guard lock(mutex_);
    std::vector<std::string> names;
    names.reserve(users_.size());
    for (const auto& [name, digest] : users_) {
        names.push_back(name);
    }
    return names;
}

bool MemoryCredentialUsers::exists(const std::string& username) {
    std::lock_guard lock(mutex_);
    return users_.contains(username);
}

bool MemoryCredentialUsers::verify(const std::string& username, const std::string& password) {
    PasswordDigest digest;
    {
        std::lock_guard lock(mutex_);
        auto it = users_.find(username);
        if (it == users_.end()) {
            return false;
        }
        digest = it->second;
    }
    return password_matches(digest, password);  // slow on purpose: outside the lock
}

CredentialUsers::PutOutcome MemoryCredentialUsers::put(const std::string& username,
                                                       const std::string& password, bool force) {
    PasswordDigest digest = digest_password(password);
    std::lock_guard lock(mutex_);
    auto [it, inserted] = users_.try_emplace(username, digest);
    if (inserted) {
        return PutOutcome::Created;
    }
    if (!force) {
        return PutOutcome::AlreadyExists;
    }
    it->second = std::move(digest);
    return PutOutcome::Updated;
}

void MemoryCredentialUsers::remove(const std::string& username) {
    std::lock_guard lock(mutex_);
    users_.erase(username);
}

CredentialUsers::PutOutcome LdapCredentialUsers::put(const std::string&, const std::string&, bool) {
    throw std::logic_error("the LDAP directory is read-only");
}

void LdapCredentialUsers::remove(const std::string&) {
    throw std::logic_error("the LDAP directory is read-only");
}

std::shared_ptr<CredentialUsers> make_credential_users(ldap::LdapDirectory* directory) {
    if (directory != nullptr) {
        return std::make_shared<LdapCredentialUsers>(*directory);
    }
    return std::make_shared<MemoryCredentialUsers>();
}

}  // namespace twake::credentials
