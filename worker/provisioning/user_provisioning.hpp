#pragma once

// Creates the OpenPaaS user document of a person authenticated for the first time
// (docs/reference/auth.md §2.4): esn-sabre only impersonates users present in MongoDB.

#include <optional>
#include <string>

#include "worker/ldap/ldap_directory.hpp"
#include "worker/store/user_store.hpp"

namespace twake::provisioning {

struct Provisioned {
    store::User user;
    bool created = false;
};

class UserProvisioning {
  public:
    UserProvisioning(store::UserStore& users, ldap::LdapDirectory* directory)
        : users_(users), directory_(directory) {}

    // Blocking. Names: the IdP's claims when given, else the LDAP entry's, else the address
    // for both. Throws store::DomainNotFound when the address's domain is not registered.
    Provisioned provision(const std::string& email, const std::optional<std::string>& given_name,
                          const std::optional<std::string>& family_name);

  private:
    store::UserStore& users_;
    ldap::LdapDirectory* directory_;
};

}  // namespace twake::provisioning
