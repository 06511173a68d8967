#include "worker/services/secret_links.hpp"

#include "shared/log/log.hpp"
#include "shared/secretlink/link_token.hpp"
#include "worker/runtime/store_call.hpp"

namespace twake::services {

namespace {

const log::Logger kLog("worker.api.secretlink");

}  // namespace

runtime::Awaitable<std::optional<std::string>> SecretLinks::token(const std::string& email,
                                                                  const std::string& home,
                                                                  const std::string& calendar,
                                                                  bool reset) const {
    auto link = [&users = users_, &links = links_, email, home, calendar,
                 reset]() -> std::optional<std::string> {
        auto user = users.find_by_email(email);
        if (!user) {
            return std::nullopt;
        }
        std::optional<std::string> token;
        if (!reset) {
            token = links.token_of(user->id, home, calendar);
        }
        if (!token) {
            token = secretlink::new_link_token();
            links.save(user->id, home, calendar, *token);
        }
        return token;
    };
    co_return co_await runtime::run_store_call(blocking_, link);
}

runtime::Awaitable<LinkUse> SecretLinks::use(const std::string& token, const std::string& home,
                                             const std::string& calendar) const {
    auto lookup = [&users = users_, &links = links_, &dav = dav_, token, home, calendar] {
        LinkUse found;
        auto owner_id = links.owner_of(token, home, calendar);
        found.owner = owner_id ? users.find_by_id(*owner_id) : std::nullopt;
        if (found.owner) {
            try {
                net::HttpResponse r = dav.calendar_metadata_as(found.owner->email, home, calendar);
                found.dav_status = r.status;
                found.dav_body = std::move(r.body);
            } catch (const dav::DavError& e) {
                kLog.warn("Secret link: esn-sabre unreachable", {{"error", e.what()}});
            }
        }
        return found;
    };
    co_return co_await runtime::run_store_call(blocking_, lookup);
}

}  // namespace twake::services
