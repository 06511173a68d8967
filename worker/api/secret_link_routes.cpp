// Secret links (docs/reference/rest-api.md §9, docs/reference/auth.md §6.1): a user asks for a
// calendar's link; the edge serves the download and asks the worker, by the internal call, whose
// link it is and what to export (docs/reference/edge-worker.md §2.4). The token never reaches a log
// line.

#include <optional>

#include "shared/identity/address.hpp"
#include "shared/json/json.hpp"
#include "shared/log/log.hpp"
#include "worker/api/caller.hpp"
#include "worker/api/rest_error.hpp"
#include "worker/api/routes.hpp"
#include "shared/secretlink/link_token.hpp"
#include "worker/services/secret_links.hpp"

namespace twake::api {

namespace {

using http::beast_http::status;
using http::beast_http::verb;

const log::Logger kLog("worker.api.secretlink");

// What the internal call answers when a link cannot be used (docs/reference/rest-api.md §9.3).
RestError invalid_token() {
    return RestError(400, "BadRequest", "Bad Request",
                     "Invalid token: only letters, digits, hyphen, and underscore are allowed.");
}
RestError refused_token() {
    return forbidden("Token validation failed");
}
RestError export_unavailable() {
    return RestError(503, "ServiceUnavailable", "Service Unavailable", "Service Unavailable");
}

bool reset_asked(const std::optional<std::string>& value) {
    return value && identity::equal_ignoring_case(*value, "true");
}

}  // namespace

void add_secret_link_routes(http::Router& router, ApiContext& ctx) {
    services::SecretLinks links(ctx.blocking, ctx.users, ctx.secret_links, ctx.dav);

    // GET /calendar/api/calendars/{home}/{calendar}/secret-link[?shouldResetLink=true]: the
    // caller's link to the calendar, minted on first use. Like upstream, no permission check:
    // the download impersonates the link's owner, so esn-sabre's rights decide what it exports.
    router.add(
        verb::get, "/calendar/api/calendars/{home}/{calendar}/secret-link",
        [&ctx, links](http::RouteContext& route) -> http::Awaitable<http::Response> {
            Caller caller = require_caller(route.request);
            std::string home = route.params.at("home");
            std::string calendar = route.params.at("calendar");
            if (!secretlink::valid_path_segment(home) ||
                !secretlink::valid_path_segment(calendar)) {
                throw bad_request("Invalid calendar path: " + home + "/" + calendar);
            }
            bool reset = reset_asked(route.target.param("shouldResetLink"));
            auto token = co_await links.token(caller.email, home, calendar, reset);
            if (!token) {
                throw unauthorized("Unknown user");
            }
            if (reset) {
                kLog.info("Secret link reset", {{"user", caller.email},
                                                {"calendar", home + "/" + calendar},
                                                {"requestId", request_id(route.request)}});
            }
            json::Json body = json::Json::object();
            body.set("secretLink",
                     secretlink::link_url(ctx.config.self_url, home, calendar, *token));
            co_return json_response(status::ok, body.dump());
        },
        "SecretLinkRoute");

    // GET /internal/secret-link/{home}/{calendar} with X-Twake-Link-Token: whose link the
    // token is and which path to export as that user (docs/reference/edge-worker.md §2.4).
    router.add(
        verb::get, "/internal/secret-link/{home}/{calendar}",
        [links](http::RouteContext& route) -> http::Awaitable<http::Response> {
            auto token = secretlink::read_link_token(
                header(route.request, "X-Twake-Link-Token").value_or(""));
            if (!token) {
                throw invalid_token();
            }
            std::string home = route.params.at("home");
            std::string calendar = route.params.at("calendar");
            if (token->empty() || !secretlink::valid_path_segment(home) ||
                !secretlink::valid_path_segment(calendar)) {
                throw refused_token();
            }
            services::LinkUse found = co_await links.use(*token, home, calendar);
            if (!found.owner) {
                throw refused_token();
            }
            if (found.dav_status == 404) {
                throw not_found("Calendar not found: " + home + "/" + calendar);
            }
            if (found.dav_status != 200) {
                if (found.dav_status != 0) {
                    kLog.warn("Secret link: esn-sabre refused the calendar's metadata",
                              {{"status", std::to_string(found.dav_status)},
                               {"calendar", home + "/" + calendar},
                               {"requestId", request_id(route.request)}});
                }
                throw export_unavailable();
            }
            auto path = secretlink::export_path(home, calendar, found.dav_body);
            if (!path) {
                throw bad_request("Missing source href for subscribed calendar: " + home + "/" +
                                  calendar);
            }
            json::Json body = json::Json::object();
            body.set("owner", found.owner->email);
            body.set("exportPath", *path + "?export");
            co_return json_response(status::ok, body.dump());
        },
        "DownloadCalendarRoute");
}

}  // namespace twake::api
