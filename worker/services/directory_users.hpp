#pragma once

// The LDAP directory's users of a domain, as webadmin lists them (docs/webadmin.md §2.1): none
// without a directory (the in-process credential store of docs/webadmin.md §4 only serves
// tests and development). Each call on the blocking pool under the storage deadline.

#include <string>
#include <vector>

#include "worker/ldap/ldap_directory.hpp"
#include "worker/runtime/awaitable.hpp"
#include "worker/runtime/blocking_pool.hpp"

namespace twake::services {

class DirectoryUsers {
  public:
    DirectoryUsers(runtime::BlockingPool& blocking,
                   ldap::LdapDirectory* directory)  // nullptr without LDAP
        : blocking_(blocking), directory_(directory) {}

    // The usernames of `domain`'s entries, sorted.
    runtime::Awaitable<std::vector<std::string>> in_domain(const std::string& domain) const;

  private:
    runtime::BlockingPool& blocking_;
    ldap::LdapDirectory* directory_;
};

}  // namespace twake::services
