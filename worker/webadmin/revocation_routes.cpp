// POST /add-revoked-token: the IdP's back-channel logout (docs/webadmin.md §5,
// docs/reference/edge-worker.md §4.3, §4.4). Public route: the logout token is read as upstream
// reads it, without verifying its signature (logout_token.hpp says why that is bounded), so the
// listener must be reachable from the IdP's network only. The token is never logged nor echoed.

#include <chrono>

#include "shared/log/log.hpp"
#include "worker/edge/edge_revocation.hpp"
#include "worker/redis/session_revocation.hpp"
#include "worker/webadmin/logout_token.hpp"
#include "worker/webadmin/routes.hpp"
#include "worker/webadmin/webadmin_error.hpp"

namespace twake::webadmin {

namespace {

using http::beast_http::verb;

const log::Logger kLog("worker.webadmin.revocation");

constexpr std::string_view kFormType = "application/x-www-form-urlencoded";
// Redis answers in microseconds; a logout is not worth a long wait (the IdP retries on 503).
constexpr std::chrono::milliseconds kRedisTimeout{1000};
constexpr std::chrono::milliseconds kRevocationDeadline{5000};

// OpenID Back-Channel Logout 1.0 §2.8: responses must not be cached.
http::Response no_store(http::Response response) {
    response.set(http::beast_http::field::cache_control, "no-store");
    return response;
}

http::Response invalid(std::string details) {
    return no_store(error_response(400, error_type::kInvalidArgument,
                                   "Invalid arguments supplied in the user request",
                                   std::move(details)));
}

// Without Redis: the edges' revocation endpoints, else nothing can reach their caches.
http::Awaitable<http::Response> revoke_at_edges(const config::EdgeListen& edge,
                                                runtime::BlockingPool& blocking,
                                                const std::string& sid) {
    if (edge.revocation_urls.empty()) {
        kLog.warn(
            "Back-channel logout: no Redis and no edge.revocation.urls, so the edges keep the "
            "session's tokens in their caches until these expire (twake_calendar_cache_ttl)",
            {{"sid", sid}});
        co_return no_store(http::make_response(http::beast_http::status::ok, http::kJson, ""));
    }
    // Values only: the call may outlive this request (BlockingPool::run).
    auto call = [urls = edge.revocation_urls, secret = edge.secret, sid] {
        return edges::evict_at_edges(urls, secret, sid);
    };
    std::vector<edges::EdgeFailure> failures;
    try {
        failures = co_await blocking.run(call, kRevocationDeadline);
    } catch (const std::exception& e) {
        failures.push_back({"(all)", e.what()});
    }
    for (const auto& f : failures) {
        kLog.error("Back-channel logout: an edge did not evict the session from its cache",
                   {{"sid", sid}, {"edge", f.url}, {"error", f.reason}});
    }
    if (!failures.empty()) {
        co_return no_store(
            error_response(503, error_type::kServerError,
                           "An edge could not be told of the revocation: retry later"));
    }
    kLog.info("OIDC session revoked",
              {{"sid", sid}, {"edges", std::to_string(edge.revocation_urls.size())}});
    co_return no_store(http::make_response(http::beast_http::status::ok, http::kJson, ""));
}

}  // namespace

void add_revocation_routes(http::Router& router, WebadminContext& ctx) {
    // The configuration and the pool live in main and outlive the router.
    const std::optional<redis::RedisAddress>* redis_address = &ctx.config.redis;
    const config::EdgeListen* edge = &ctx.config.edge;
    runtime::BlockingPool* blocking = &ctx.blocking;
    const std::function<void(const std::string&)>* session_revoked = &ctx.session_revoked;
    router.add(
        verb::post, "/add-revoked-token",
        [redis_address, edge, blocking,
         session_revoked](http::RouteContext& rc) -> http::Awaitable<http::Response> {
            auto content_type = rc.request.find(http::beast_http::field::content_type);
            // Upstream's test is a case-sensitive prefix; so is this one.
            if (content_type == rc.request.end() ||
                !std::string_view(content_type->value()).starts_with(kFormType)) {
                co_return no_store(
                    http::make_response(http::beast_http::status::unsupported_media_type,
                                        "text/plain; charset=utf-8", "Unsupported Content-Type"));
            }
            auto form = http::Target::parse("/?" + rc.request.body());
            if (!form) {
                co_return invalid("The form body has a malformed percent-encoding");
            }
            std::string sid;
            try {
                sid = logout_token_sid(form->param("logout_token").value_or(""));
            } catch (const LogoutTokenError& e) {
                kLog.info("Back-channel logout refused", {{"reason", e.what()}});
                co_return invalid(e.what());
            }
            // The session's sockets close whatever happens to its cached tokens below.
            if (*session_revoked) {
                (*session_revoked)(sid);
            }

            if (!*redis_address) {
                co_return co_await revoke_at_edges(*edge, *blocking, sid);
            }
            // Values only: the call may outlive this request (BlockingPool::run).
            auto revoke = [address = **redis_address, sid] {
                redis::RedisConnection connection(address, kRedisTimeout);
                return redis::revoke_session(connection, sid);
            };
            redis::SessionRevocation result;
            try {
                result = co_await blocking->run(revoke, kRevocationDeadline);
            } catch (const std::exception& e) {
                kLog.error(
                    "Back-channel logout failed: the session's cached tokens could not be "
                    "invalidated in Redis",
                    {{"sid", sid}, {"error", e.what()}});
                co_return no_store(error_response(
                    503, error_type::kServerError,
                    "The token cache (Redis) is unavailable: the session was not revoked, retry "
                    "later"));
            }
            if (!result.ignored.empty()) {
                kLog.warn(
                    "Back-channel logout: the session list held keys that are not token "
                    "cache keys; they were left alone",
                    {{"sid", sid}, {"count", std::to_string(result.ignored.size())}});
            }
            kLog.info("OIDC session revoked", {{"sid", sid},
                                               {"keys", std::to_string(result.keys.size())},
                                               {"subscribers", std::to_string(result.receivers)}});
            co_return no_store(http::make_response(http::beast_http::status::ok, http::kJson, ""));
        });
}

}  // namespace twake::webadmin
