#pragma once

#include "worker/health/health_check.hpp"
#include "worker/ldap/users_repository.hpp"

namespace twake::ldap {

// Looks up the user `ldap-test` (component name `LDAP User Server`, as upstream); any LDAP
// error is unhealthy, an absent entry is not.
class LdapHealthCheck : public health::HealthCheck {
  public:
    explicit LdapHealthCheck(LdapConfig config)
        : HealthCheck("LDAP User Server"), config_(std::move(config)) {}
    health::Result check() override;

  private:
    LdapConfig config_;
};

}  // namespace twake::ldap
