#include "worker/services/domain_administration.hpp"

#include <algorithm>
#include <set>

#include "shared/identity/address.hpp"
#include "worker/runtime/store_call.hpp"

namespace twake::services {

runtime::Awaitable<std::optional<std::vector<std::string>>> DomainAdministration::administrators(
    const std::string& domain_name) const {
    auto load = [&domains = domains_, &users = users_,
                 domain_name]() -> std::optional<std::vector<std::string>> {
        auto domain = domains.find_by_name(domain_name);
        if (!domain) {
            return std::nullopt;
        }
        std::vector<std::string> emails;
        std::set<std::string> seen;
        for (const auto& admin : domain->administrators) {
            // Legacy documents may name one user twice (as a string and an id).
            if (!seen.insert(identity::lower(admin.user_id)).second) {
                continue;
            }
            auto user = users.find_by_id(admin.user_id);
            if (user && !user->email.empty()) {
                emails.push_back(user->email);
            }
        }
        return emails;
    };
    auto emails = co_await runtime::run_store_call(blocking_, load);
    if (emails) {
        std::sort(emails->begin(), emails->end(), [](const auto& a, const auto& b) {
            return identity::lower(a) < identity::lower(b);
        });
        emails->erase(std::unique(emails->begin(), emails->end()), emails->end());
    }
    co_return emails;
}

runtime::Awaitable<AdminChange> DomainAdministration::change(const std::string& domain_id,
                                                             const std::string& email,
                                                             bool grant) const {
    auto change = [&domains = domains_, &users = users_, domain_id, email, grant] {
        auto user = users.find_by_email(email);
        if (!user) {
            return AdminChange::NoUser;
        }
        bool found = grant ? domains.add_administrator(domain_id, user->id)
                           : domains.revoke_administrator(domain_id, user->id);
        return found ? AdminChange::Done : AdminChange::NoDomain;
    };
    co_return co_await runtime::run_store_call(blocking_, change);
}

}  // namespace twake::services
