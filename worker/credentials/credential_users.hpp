#pragma once

// Credential users (docs/webadmin.md §4): names and passwords for HTTP Basic, distinct from the
// registered users of MongoDB. With `usersrepository.xml` they are the LDAP directory's
// entries, read-only; without it a store in memory, lost at every restart (upstream keeps it
// for tests and development only).
//
// Calls may block (LDAP, password hashing): run them on the blocking pool, holding the
// store by shared_ptr.

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "worker/ldap/ldap_directory.hpp"

namespace twake::credentials {

class CredentialUsers {
  public:
    virtual ~CredentialUsers() = default;

    // Whether users can be created, changed and removed here (false for LDAP).
    virtual bool writable() const = 0;
    // Every username, sorted.
    virtual std::vector<std::string> list() = 0;
    virtual bool exists(const std::string& username) = 0;
    // Whether `password` is the user's; false for an unknown user.
    virtual bool verify(const std::string& username, const std::string& password) = 0;

    enum class PutOutcome { Created, Updated, AlreadyExists };
    // Creates the user; an existing one is updated only with `force`, else AlreadyExists.
    // Only when writable().
    virtual PutOutcome put(const std::string& username, const std::string& password,
                           bool force) = 0;
    // Removes the user if present. Only when writable().
    virtual void remove(const std::string& username) = 0;
};

// A salted PBKDF2-HMAC-SHA256 digest of a password: the password itself is never kept.
struct PasswordDigest {
    std::string salt;     // 16 random bytes
    std::string derived;  // 32 bytes
};
PasswordDigest digest_password(std::string_view password);
// Constant-time comparison of the derived bytes.
bool password_matches(const PasswordDigest& digest, std::string_view password);

class MemoryCredentialUsers : public CredentialUsers {
  public:
    bool writable() const override { return true; }
    std::vector<std::string> list() override;
    bool exists(const std::string& username) override;
    bool verify(const std::string& username, const std::string& password) override;
    PutOutcome put(const std::string& username, const std::string& password, bool force) override;
    void remove(const std::string& username) override;

  private:
    std::mutex mutex_;
    std::map<std::string, PasswordDigest> users_;
};

// The LDAP directory's user entries; the password check is a bind as the entry.
class LdapCredentialUsers : public CredentialUsers {
  public:
    explicit LdapCredentialUsers(ldap::LdapDirectory& directory) : directory_(directory) {}

    bool writable() const override { return false; }
    std::vector<std::string> list() override { return directory_.user_ids(); }
    bool exists(const std::string& username) override { return directory_.has_user(username); }
    bool verify(const std::string& username, const std::string& password) override {
        return directory_.authenticate(username, password).has_value();
    }
    PutOutcome put(const std::string&, const std::string&, bool) override;
    void remove(const std::string&) override;

  private:
    ldap::LdapDirectory& directory_;
};

// LDAP when a directory is configured, else memory.
std::shared_ptr<CredentialUsers> make_credential_users(ldap::LdapDirectory* directory);

}  // namespace twake::credentials
