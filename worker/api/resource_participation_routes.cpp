// The accept and decline links of a resource booking (docs/reference/rest-api.md §10.3): public,
// the link's JWT names the resource and its copy of the event (docs/reference/auth.md §6.3).
// The token never reaches a log line.

#include <optional>

#include "shared/identity/address.hpp"
#include "shared/jwt/jwt_error.hpp"
#include "shared/log/log.hpp"
#include "worker/api/caller.hpp"
#include "worker/api/rest_error.hpp"
#include "worker/api/routes.hpp"
#include "worker/booking/resource_link.hpp"
#include "worker/services/resource_participation.hpp"

namespace twake::api {

namespace {

using http::beast_http::field;
using http::beast_http::status;
using http::beast_http::verb;
using services::ParticipationResult;

const log::Logger kLog("worker.api.resources");

// A query parameter's first value; a blank one counts as missing.
std::optional<std::string> given(const http::Target& target, std::string_view name) {
    auto value = target.param(name);
    if (!value || value->find_first_not_of(" \t") == std::string::npos) {
        return std::nullopt;
    }
    return value;
}

std::string checked_status(const http::Target& target) {
    auto partstat = given(target, "status");
    if (!partstat || (*partstat != "ACCEPTED" && *partstat != "DECLINED")) {
        throw bad_request("Missing or invalid status parameter: ACCEPTED or DECLINED expected");
    }
    auto referrer = given(target, "referrer");
    if (!referrer) {
        throw bad_request("Missing referrer parameter");
    }
    if (!identity::equal_ignoring_case(*referrer, "email")) {
        throw bad_request("Invalid referrer parameter, expected: email");
    }
    return *partstat;
}

// Where the browser goes once the answer is stored: the calendar app.
std::string calendar_app(std::string url) {
    while (!url.empty() && url.back() == '/') {
        url.pop_back();
    }
    return url + "/calendar";
}

}  // namespace

void add_resource_participation_routes(http::Router& router, ApiContext& ctx) {
    services::ResourceParticipation participation(ctx.blocking, ctx.resources, ctx.domains,
                                                  ctx.dav);
    router.add(
        verb::get, "/calendar/api/resources/{resourceId}/{eventPathId}/participation",
        [&ctx, participation](http::RouteContext& route) -> http::Awaitable<http::Response> {
            const std::string resource_id = route.params.at("resourceId");
            const std::string event_id = route.params.at("eventPathId");
            const std::string partstat = checked_status(route.target);
            auto token = given(route.target, "jwt");
            if (!token) {
                throw unauthorized("Missing jwt in request");
            }
            if (ctx.link_verifier == nullptr) {
                throw service_unavailable("jwt.key.public is not configured");
            }
            json::Json claims;
            try {
                claims = ctx.link_verifier->verify(*token, jwt::ExpiryRule::Required);
            } catch (const jwt::JwtError& e) {
                kLog.info("Resource participation token refused",
                          {{"reason", e.what()}, {"requestId", request_id(route.request)}});
                throw unauthorized(std::string("JWT verification failed: ") + e.what());
            }
            if (!booking::claims_name(claims.get(), resource_id, event_id)) {
                throw forbidden("JWT does not match path parameter");
            }
            ParticipationResult result;
            try {
                result = co_await participation.answer(resource_id, event_id, partstat);
            } catch (const dav::DavError& e) {
                kLog.error("Resource participation: esn-sabre failed",
                           {{"error", e.what()}, {"requestId", request_id(route.request)}});
                throw service_unavailable("esn-sabre is unavailable");
            }
            switch (result) {
                case ParticipationResult::UnknownResource:
                    throw not_found("Resource not found: " + resource_id);
                case ParticipationResult::UnknownEvent:
                    throw not_found("Calendar event not found: " + event_id);
                case ParticipationResult::NotAnAttendee:
                    throw bad_request("The resource is not an attendee of the event");
                case ParticipationResult::Updated:
                case ParticipationResult::Unchanged:
                    break;
            }
            kLog.info("Resource participation set", {{"resource", resource_id},
                                                     {"event", event_id},
                                                     {"partstat", partstat},
                                                     {"requestId", request_id(route.request)}});
            http::Response r = http::make_response(status::found, "", "");
            r.set(field::location, calendar_app(ctx.config.spa_calendar_url));
            co_return r;
        },
        "ResourceParticipationRoute");
}

}  // namespace twake::api
