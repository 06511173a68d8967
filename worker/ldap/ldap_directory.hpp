#pragma once

// The user directory over LDAP (docs/reference/auth.md §3.3): checking a password, and the names of
// a person for provisioning (docs/reference/auth.md §2.4).

#include <optional>
#include <string>
#include <vector>

#include "worker/ldap/ldap_connection.hpp"
#include "worker/ldap/users_repository.hpp"

namespace twake::ldap {

struct PersonNames {
    std::string firstname;
    std::string lastname;
};

// A user entry as the LDAP import reads it (docs/webadmin.md §7.3).
struct LdapPerson {
    std::string mail;  // as stored: the import checks it is an address
    PersonNames names;
};

// What the domain-members address book reads of an entry.
inline const std::vector<std::string> kMemberAttributes = {
    "uid", "cn", "sn", "givenName", "mail", "telephoneNumber", "displayName"};

// Blocking calls (run them on the blocking pool); LdapError when the directory is unreachable.
class LdapDirectory {
  public:
    explicit LdapDirectory(LdapConfig config) : config_(std::move(config)) {}

    // The username (the entry's userIdAttribute value, lower-cased) when `login`/`password`
    // are right; nullopt when they are not.
    std::optional<std::string> authenticate(const std::string& login, const std::string& password);

    // lastname = sn, firstname = cn without the sn text (or cn when sn is empty), as upstream.
    std::optional<PersonNames> names(const std::string& email);

    // The userIdAttribute values of every user entry under userListBase (else userBase),
    // lower-cased and sorted; entries without it are skipped. A server size limit may
    // shorten the list (no paging).
    std::vector<std::string> user_ids();

    // Every entry of class userObjectClass under userBase, with its mail and names (as
    // names() derives them). A server size limit may shorten the list (no paging).
    std::vector<LdapPerson> people();

    // The entries of class userObjectClass under userBase whose mail ends with `@domain`, AND-ed
    // with `extra_filter` (a checked RFC 4515 filter) when given, read by pages of 500 with
    // the first value of kMemberAttributes (docs/webadmin.md §9).
    std::vector<LdapEntry> domain_members(const std::string& domain,
                                          const std::optional<std::string>& extra_filter);

    // Whether a user entry has this userIdAttribute value.
    bool has_user(const std::string& id);

    // The usernames (userIdAttribute values, lower-cased, sorted) of the user entries under
    // userListBase (else userBase) whose username is an address in `domain` (lower-cased).
    std::vector<std::string> usernames_in_domain(const std::string& domain);

  private:
    LdapConfig config_;

    std::string user_filter(const std::string& attribute, const std::string& value) const;
};

}  // namespace twake::ldap
