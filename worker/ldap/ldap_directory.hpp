#pragma once

// The user directory over LDAP (auth.md §3.4): checking a password, and the names of a person
// for provisioning (auth.md §2.5).

#include <optional>
#include <string>

#include "worker/ldap/users_repository.hpp"

namespace twake::ldap {

struct PersonNames {
    std::string firstname;
    std::string lastname;
};

// Blocking calls (run them on the blocking pool); LdapError when the directory is unreachable.
class LdapDirectory {
  public:
    explicit LdapDirectory(LdapConfig config) : config_(std::move(config)) {}

    // The username (the entry's userIdAttribute value, lower-cased) when `login`/`password`
    // are right; nullopt when they are not.
    std::optional<std::string> authenticate(const std::string& login, const std::string& password);

    // lastname = sn, firstname = cn without the sn text (or cn when sn is empty), as upstream.
    std::optional<PersonNames> names(const std::string& email);

  private:
    LdapConfig config_;

    std::string user_filter(const std::string& attribute, const std::string& value) const;
};

}  // namespace twake::ldap
