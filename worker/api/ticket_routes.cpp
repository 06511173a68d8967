// WebSocket tickets (docs/reference/rest-api.md §12): a signed-in user asks for a ticket and may
// revoke it; the edge consumes it when the browser opens `/ws?ticket=`
// (docs/reference/edge-worker.md §2.5). The edge sets X-Twake-Client-Address on these calls. A
// ticket's value never reaches a log line: its fingerprint does.

#include <optional>

#include "shared/contract/edge_worker.hpp"
#include "shared/json/json.hpp"
#include "shared/log/log.hpp"
#include "worker/api/caller.hpp"
#include "worker/api/rest_error.hpp"
#include "worker/api/routes.hpp"
#include "worker/services/ws_tickets.hpp"
#include "worker/tickets/ticket_metrics.hpp"

namespace twake::api {

namespace {

using http::beast_http::status;
using http::beast_http::verb;

const log::Logger kLog("worker.api.ticket");

// Upstream's refusals of the revoke route keep its problem-details shape.
http::Response problem(unsigned code, std::string_view detail) {
    return json_response(static_cast<status>(code), tickets::problem_json(code, detail));
}

std::string client_address(const http::Request& request) {
    return header(request, contract::header::kClientAddress).value_or("");
}

}  // namespace

void add_ticket_routes(http::Router& router, ApiContext& ctx) {
    services::WsTickets service(ctx.blocking, ctx.tickets, ctx.config.ticket_ip_validation);
    auto metrics = std::make_shared<tickets::TicketMetrics>(ctx.metrics.registry());

    // POST /ws/ticket: a ticket for the caller, valid one minute, bound to the address the
    // edge saw and to the caller's OIDC session when there is one.
    router.add(
        verb::post, "/ws/ticket",
        [service, metrics](http::RouteContext& route) -> http::Awaitable<http::Response> {
            Caller caller = require_caller(route.request);
            std::string address = client_address(route.request);
            tickets::Ticket ticket = co_await service.issue(caller.email, address, caller.sid);
            metrics->issued();
            kLog.debug("Ticket issued", {{"user", caller.email},
                                         {"ticket", tickets::fingerprint(ticket.value)},
                                         {"requestId", request_id(route.request)}});
            co_return json_response(status::ok, tickets::issued_json(ticket));
        },
        "CalendarTicketRoute");

    // DELETE /ws/ticket/{value}, and DELETE /ws/ticket?ticket= as upstream's documentation
    // writes it: the caller's own ticket only; an unknown or foreign one is one refusal.
    // Coroutine arguments by reference (docs/development.md: GCC 12); callers keep `raw`.
    auto revoke = [service, metrics](
                      http::RouteContext& route,
                      const std::optional<std::string>& raw) -> http::Awaitable<http::Response> {
        Caller caller = require_caller(route.request);
        auto value = tickets::ticket_value(raw.value_or(""));
        if (!value) {
            co_return problem(400, "Invalid request: TicketValue must be backed by a UUID");
        }
        if (!co_await service.revoke(*value, caller.email)) {
            co_return problem(403, "Using ticket other accounts is forbidden");
        }
        metrics->revoked();
        co_return http::make_response(status::no_content, "", "");
    };
    router.add(
        verb::delete_, "/ws/ticket/{value}",
        [revoke](http::RouteContext& route) -> http::Awaitable<http::Response> {
            std::optional<std::string> raw = route.params.at("value");
            co_return co_await revoke(route, raw);
        },
        "CalendarTicketRoute");
    router.add(
        verb::delete_, "/ws/ticket",
        [revoke](http::RouteContext& route) -> http::Awaitable<http::Response> {
            std::optional<std::string> raw = route.target.param("ticket");
            co_return co_await revoke(route, raw);
        },
        "CalendarTicketRoute");

    // POST /internal/ticket with X-Twake-Ticket and X-Twake-Client-Address: the edge's check
    // of a `/ws` handshake. The ticket is taken out first, so it is burnt whatever follows.
    router.add(verb::post, "/internal/ticket",
               [service, metrics](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   auto value = tickets::ticket_value(
                       header(route.request, contract::header::kTicket).value_or(""));
                   std::string address = client_address(route.request);
                   services::TicketUse use;
                   if (value) {
                       use = co_await service.consume(*value, address);
                   }
                   metrics->checked(use.check);
                   std::string fingerprint = tickets::fingerprint(value.value_or(""));
                   if (use.check != tickets::Check::Accepted) {
                       std::string details(tickets::refusal_details(use.check));
                       kLog.info("Ticket refused", {{"ticket", fingerprint},
                                                    {"reason", details},
                                                    {"requestId", request_id(route.request)}});
                       throw unauthorized(details);
                   }
                   kLog.debug("Ticket consumed", {{"user", use.ticket->username},
                                                  {"ticket", fingerprint},
                                                  {"requestId", request_id(route.request)}});
                   json::Json body = json::Json::object();
                   body.set("username", use.ticket->username);
                   if (use.ticket->sid) {
                       body.set("sid", *use.ticket->sid);
                   }
                   co_return json_response(status::ok, body.dump());
               });
}

}  // namespace twake::api
