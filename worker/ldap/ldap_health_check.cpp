#include "worker/ldap/ldap_health_check.hpp"

#include "shared/log/log.hpp"
#include "worker/ldap/ldap_connection.hpp"

namespace twake::ldap {

namespace {
const log::Logger kLog("worker.ldap");
}

health::Result LdapHealthCheck::check() {
    try {
        LdapConnection connection(config_);
        std::string filter = "(&(objectClass=" + escape_filter_value(config_.user_object_class) +
                             ")(" + config_.user_id_attribute + "=ldap-test))";
        connection.search_dns(config_.user_base, filter, 1);
        return healthy();
    } catch (const LdapError& e) {
        kLog.warn("LDAP check failed", {{"error", e.what()}});
        return unhealthy("Error checking LDAP server!");
    }
}

}  // namespace twake::ldap
