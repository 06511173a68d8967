// The participation links of invitation mails (docs/reference/rest-api.md §16): public, the
// link's JWT (docs/reference/auth.md §6.2) says who answers what to which event. The token
// never reaches a log line.

#include <optional>

#include "shared/jwt/jwt_error.hpp"
#include "shared/log/log.hpp"
#include "worker/api/caller.hpp"
#include "worker/api/rest_error.hpp"
#include "worker/api/routes.hpp"
#include "worker/mail/participation_link.hpp"
#include "worker/services/event_participation.hpp"

namespace twake::api {

namespace {

using http::beast_http::status;
using http::beast_http::verb;
using services::EventAnswer;

const log::Logger kLog("worker.api.participation");

// Upstream's texts for this route (docs/reference/rest-api.md §16).
RestError invalid_token() {
    return unauthorized("JWT is missing or invalid");
}

RestError event_not_found(std::string details) {
    return RestError(404, "NotFound", "Not found", std::move(details));
}

// The first `jwt` value that is not blank.
std::optional<std::string> token_of(const http::Target& target) {
    for (std::string& value : target.params("jwt")) {
        if (value.find_first_not_of(" \t") != std::string::npos) {
            return std::move(value);
        }
    }
    return std::nullopt;
}

mail::ParticipationClaims verified_claims(const ApiContext& ctx, const http::Request& request,
                                          const std::optional<std::string>& token) {
    if (!token) {
        throw invalid_token();
    }
    try {
        json::Json claims = ctx.link_verifier->verify(*token, jwt::ExpiryRule::Optional);
        if (auto read = mail::read_participation_claims(claims.get())) {
            return *read;
        }
        kLog.info("Participation token refused",
                  {{"reason", "claims"}, {"requestId", request_id(request)}});
    } catch (const jwt::JwtError& e) {
        kLog.info("Participation token refused",
                  {{"reason", e.what()}, {"requestId", request_id(request)}});
    }
    throw invalid_token();
}

json::Json answer_document(const ApiContext& ctx, const mail::Participation& participation,
                           EventAnswer& answer) {
    auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    mail::ParticipationLinks fresh =
        mail::participation_links(*ctx.login_signer, ctx.config.spa_excal_url, participation, now);
    json::Json links = json::Json::object();
    links.set("yes", fresh.yes).set("no", fresh.no).set("maybe", fresh.maybe);
    json::Json body = json::Json::object();
    body.set("eventJSON", std::move(answer.event))
        .set("attendeeEmail", participation.attendee)
        .set("locale", answer.locale)
        .set("links", std::move(links));
    return body;
}

}  // namespace

void add_event_participation_routes(http::Router& router, ApiContext& ctx) {
    services::EventParticipation participation(ctx.config, ctx.blocking, ctx.users,
                                               ctx.configurations, ctx.dav);
    router.add(
        verb::get, "/calendar/api/calendars/event/participation",
        [&ctx, participation](http::RouteContext& route) -> http::Awaitable<http::Response> {
            if (ctx.link_verifier == nullptr || ctx.login_signer == nullptr) {
                throw service_unavailable("jwt.key.public or jwt.key.private is not configured");
            }
            const mail::ParticipationClaims claims =
                verified_claims(ctx, route.request, token_of(route.target));
            const std::string partstat = mail::partstat_of_action(claims.action);
            EventAnswer answer;
            try {
                answer = co_await participation.answer(claims.participation, partstat);
            } catch (const dav::DavError& e) {
                kLog.error("Participation: esn-sabre failed",
                           {{"error", e.what()}, {"requestId", request_id(route.request)}});
                throw service_unavailable("esn-sabre is unavailable");
            }
            switch (answer.outcome) {
                case EventAnswer::Outcome::UnknownEvent:
                    throw event_not_found("Calendar event not found: " + claims.participation.uid);
                case EventAnswer::Outcome::NotAnAttendee:
                    // Upstream answers a link naming no attendee of the event as a bad token.
                    throw invalid_token();
                case EventAnswer::Outcome::Updated:
                case EventAnswer::Outcome::Unchanged:
                    break;
            }
            kLog.info(
                "Participation answered",
                {{"uid", claims.participation.uid},
                 {"partstat", partstat},
                 {"changed", answer.outcome == EventAnswer::Outcome::Updated ? "true" : "false"},
                 {"requestId", request_id(route.request)}});
            co_return json_response(status::ok,
                                    answer_document(ctx, claims.participation, answer).dump());
        },
        "EventParticipationRoute");
}

}  // namespace twake::api
