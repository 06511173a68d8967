#include "worker/realtime/dav_sync_tokens.hpp"

#include "shared/log/log.hpp"

namespace twake::realtime {

namespace {
const log::Logger kLog("worker.realtime");
}

runtime::Awaitable<TokenAnswer> DavSyncTokens::fetch(const std::string& user,
                                                     const CollectionPath& path) {
    bool calendar = path.kind == CollectionKind::Calendar;
    // esn-sabre's JSON API: a calendar's description carries its ctag; an address book's
    // first page (none asked) its sync token.
    std::string target = calendar ? path.path() + ".json" : path.path() + "?limit=0";
    auto started = std::chrono::steady_clock::now();
    TokenAnswer answer;
    try {
        auto* dav = &dav_;
        auto call = [dav, user, target] { return dav->get_json_as(user, target); };
        net::HttpResponse response =
            co_await blocking_.run(call, dav_.timeout() + std::chrono::seconds(1));
        answer = token_answer(response.status, response.body, path.kind);
        if (answer.outcome == TokenAnswer::Outcome::Error) {
            kLog.warn("esn-sabre gave no sync token",
                      {{"path", path.path()}, {"status", std::to_string(response.status)}});
        }
    } catch (const std::exception& e) {
        kLog.warn("Sync token fetch failed", {{"path", path.path()}, {"error", e.what()}});
        answer = {TokenAnswer::Outcome::Error, {}};
    }
    metrics_.token_fetched(calendar ? "calendar" : "addressbook",
                           std::chrono::steady_clock::now() - started);
    co_return answer;
}

}  // namespace twake::realtime
