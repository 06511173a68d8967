#include "worker/provisioning/user_provisioning.hpp"

#include "shared/log/log.hpp"
#include "worker/ldap/ldap_connection.hpp"

namespace twake::provisioning {

namespace {
const log::Logger kLog("worker.provisioning");
}

Provisioned UserProvisioning::provision(const std::string& email,
                                        const std::optional<std::string>& given_name,
                                        const std::optional<std::string>& family_name) {
    if (auto existing = users_.find_by_email(email)) {
        return {*existing, false};
    }
    std::string first;
    std::string last;
    if (given_name || family_name) {
        first = given_name.value_or("");
        last = family_name.value_or("");
    } else {
        std::optional<ldap::PersonNames> names;
        if (directory_ != nullptr) {
            try {
                names = directory_->names(email);
            } catch (const ldap::LdapError& e) {
                // Names are a nicety: an unreachable directory must not refuse the login.
                kLog.warn("LDAP lookup of a new user's names failed", {{"error", e.what()}});
            }
        }
        first = names ? names->firstname : email;
        last = names ? names->lastname : email;
    }
    try {
        store::User user = users_.add(email, first, last);
        kLog.info("User provisioned", {{"user", user.email}, {"userId", user.id}});
        return {user, true};
    } catch (const store::UserConflict&) {
        // Created meanwhile by a concurrent request (or by esn-sabre): use that one.
        if (auto existing = users_.find_by_email(email)) {
            return {*existing, false};
        }
        throw;
    }
}

}  // namespace twake::provisioning
