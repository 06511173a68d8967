// Tokens the service issues (docs/reference/rest-api.md §8.1, §8.2): legacy OpenPaaS login JWTs for
// the apps, and the introspection esn-sabre calls for technical tokens.

#include "shared/json/json.hpp"
#include "shared/jwt/jwt_error.hpp"
#include "shared/jwt/legacy_jwt.hpp"
#include "shared/log/log.hpp"
#include "worker/api/caller.hpp"
#include "worker/api/rest_error.hpp"
#include "worker/api/routes.hpp"
#include "worker/services/domain_directory.hpp"

namespace twake::api {

namespace {

using http::beast_http::status;
using http::beast_http::verb;

const log::Logger kLog("worker.api.tokens");

http::Response token_not_found() {
    return error_response(404, "NotFound", "Not found", "Token not found or expired");
}

}  // namespace

void add_token_routes(http::Router& router, ApiContext& ctx) {
    router.add(
        verb::post, "/api/jwt/generate",
        [&ctx](http::RouteContext& route) -> http::Awaitable<http::Response> {
            Caller caller = require_caller(route.request);
            // A legacy JWT may not mint its successor: endless renewal would outlive an OIDC
            // logout (docs/reference/auth.md §4.2).
            if (caller.method == AuthMethod::Jwt) {
                throw unauthorized("A legacy JWT cannot be renewed with itself");
            }
            if (ctx.login_signer == nullptr) {
                throw service_unavailable("jwt.key.private is not configured");
            }
            std::string token = ctx.login_signer->sign(jwt::login_claims(
                caller.email, std::chrono::system_clock::now(), ctx.config.jwt_validity));
            co_return json_response(status::ok, json::quote(token));
        },
        "JwtRoutes");

    services::DomainDirectory domains(ctx.blocking, ctx.domains);
    router.add(
        verb::get, "/api/technicalToken/introspect",
        [&ctx, domains](http::RouteContext& route) -> http::Awaitable<http::Response> {
            auto token = header(route.request, "X-TECHNICAL-TOKEN");
            if (!token || token->empty()) {
                co_return token_not_found();
            }
            jwt::TechnicalTokenClaims claims;
            try {
                claims = ctx.technical_tokens.verify(*token, std::chrono::system_clock::now());
            } catch (const jwt::JwtError& e) {
                // The reason only: never the token (docs/reference/auth.md §7.1).
                kLog.info("Technical token refused",
                          {{"reason", e.what()}, {"requestId", request_id(route.request)}});
                co_return token_not_found();
            }
            auto domain = co_await domains.find_by_id(claims.domain_id);
            if (!domain) {
                co_return token_not_found();
            }
            json::Json body = json::Json::copy_of(claims.data.get());
            body.set("domain", domain->name);
            co_return json_response(status::ok, body.dump());
        },
        "CheckTechnicalUserTokenRoute");
}

}  // namespace twake::api
