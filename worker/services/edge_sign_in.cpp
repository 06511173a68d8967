#include "worker/services/edge_sign_in.hpp"

#include "shared/log/log.hpp"
#include "worker/ldap/ldap_connection.hpp"
#include "worker/runtime/store_call.hpp"

namespace twake::services {

namespace {

const log::Logger kLog("worker.api.internal");

}  // namespace

runtime::Awaitable<std::optional<provisioning::Provisioned>> EdgeSignIn::provision(
    const std::string& email, const std::optional<std::string>& given_name,
    const std::optional<std::string>& family_name) const {
    auto provision = [&provisioning = provisioning_, email, given_name, family_name] {
        try {
            return std::optional(provisioning.provision(email, given_name, family_name));
        } catch (const store::DomainNotFound&) {
            return std::optional<provisioning::Provisioned>();
        }
    };
    co_return co_await runtime::run_store_call(blocking_, provision);
}

runtime::Awaitable<BasicSignIn> EdgeSignIn::basic(const std::string& login,
                                                  const std::string& password) const {
    auto check = [directory = directory_, &provisioning = provisioning_, login, password] {
        using Outcome = BasicSignIn::Outcome;
        BasicSignIn result;
        std::optional<std::string> username;
        try {
            username = directory->authenticate(login, password);
        } catch (const ldap::LdapError& e) {
            kLog.error("LDAP directory unavailable for Basic authentication",
                       {{"error", e.what()}});
            result.outcome = Outcome::DirectoryUnavailable;
            return result;
        }
        if (!username) {
            return result;
        }
        result.username = *username;
        result.outcome = Outcome::Accepted;
        try {
            provisioning.provision(*username, std::nullopt, std::nullopt);
        } catch (const store::DomainNotFound&) {
            result.outcome = Outcome::DomainNotRegistered;
        }
        return result;
    };
    co_return co_await runtime::run_store_call(blocking_, check);
}

}  // namespace twake::services
