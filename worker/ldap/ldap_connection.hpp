#pragma once

// A blocking libldap connection (LDAPv3, simple bind) with bounded network and operation
// waits, for code running on the blocking pool.

#include <ldap.h>

#include <chrono>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "worker/ldap/users_repository.hpp"

namespace twake::ldap {

class LdapError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// RFC 4515 escaping of a value placed in a search filter.
std::string escape_filter_value(std::string_view value);

struct LdapEntry {
    std::string dn;
    std::map<std::string, std::string> attributes;  // first value of each attribute read
};

class LdapConnection {
  public:
    // Connects to the configured servers (libldap tries them in order) and binds with
    // `principal`/`credentials` when they are set; throws LdapError.
    explicit LdapConnection(const LdapConfig& config);

    // Subtree search under `base`; returns the DNs of the matching entries.
    std::vector<std::string> search_dns(const std::string& base, const std::string& filter,
                                        int size_limit);

    // Subtree search returning the first value of each requested attribute.
    std::vector<LdapEntry> search(const std::string& base, const std::string& filter,
                                  const std::vector<std::string>& attributes, int size_limit);

    // The same, read page by page with the RFC 2696 paged-results control (`page_size`
    // entries a page), so that no server size limit shortens a large result.
    std::vector<LdapEntry> search_paged(const std::string& base, const std::string& filter,
                                        const std::vector<std::string>& attributes, int page_size);

    // A simple bind as `dn` on this connection (it then acts as that entry); false when the
    // directory refuses the credentials, LdapError when it cannot be asked.
    bool bind(const std::string& dn, const std::string& password);

  private:
    struct LdapUnbind {
        void operator()(LDAP* ld) const { ldap_unbind_ext_s(ld, nullptr, nullptr); }
    };
    std::unique_ptr<LDAP, LdapUnbind> ld_;
    // Appends the entries of `result` to `out`, with the first value of each attribute.
    void read_entries(LDAPMessage* result, const std::vector<std::string>& attributes,
                      std::vector<LdapEntry>& out);
    std::chrono::milliseconds read_timeout_;
};

}  // namespace twake::ldap
