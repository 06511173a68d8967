// The access phase of a WebSocket handshake (docs/nginx-module.md §5.22,
// docs/reference/edge-worker.md §2.5): `GET /ws?ticket=<uuid>` is opened by its ticket and by
// nothing else (an Authorization header is ignored). No ticket, or one that is not a UUID: 401 at
// once, without asking anyone. Otherwise the worker consumes the ticket through an internal
// location, once per request whatever the access phase's visits (the outcome stays in the
// request's context), and with no cache: a ticket is single-use, so a cached answer could only
// serve a replay. Before anything else the ticket leaves the query the worker is sent and the
// request line nginx logs.

#include "ngx_module/access_answer.hpp"
#include "ngx_module/core/ticket_query.hpp"
#include "ngx_module/edge_process.hpp"
#include "ngx_module/json_error.hpp"
#include "shared/identity/address.hpp"
#include "shared/json/json.hpp"

namespace twake::edge {

namespace {

constexpr std::string_view kTicket = "ticket";

void count(metrics::Handshake handshake, metrics::Outcome outcome) {
    if (metrics::EdgeMetrics* m = edge_metrics()) {
        m->count_handshake(handshake);
        m->count_auth(metrics::Method::ticket, outcome);
        if (outcome == metrics::Outcome::ok) {
            m->count_source(metrics::Method::ticket, metrics::Source::idp);
        }
    }
}

ngx_int_t refuse_handshake(ngx_http_request_t* r, metrics::Handshake handshake,
                           std::string_view details) {
    ngx_log_error(NGX_LOG_INFO, r->connection->log, 0, "twake_calendar: 401: %*s",
                  static_cast<int>(details.size()), details.data());
    count(handshake, metrics::Outcome::refused);
    return send_unauthorized(r, details);
}

ngx_int_t handshake_unavailable(ngx_http_request_t* r, std::string_view details) {
    ngx_log_error(NGX_LOG_WARN, r->connection->log, 0, "twake_calendar: 503: %*s",
                  static_cast<int>(details.size()), details.data());
    count(metrics::Handshake::error, metrics::Outcome::unavailable);
    ngx_int_t rc = send_json_error(r, NGX_HTTP_SERVICE_UNAVAILABLE, "ServiceUnavailable",
                                   "Service Unavailable", details);
    ngx_http_finalize_request(r, rc);
    return NGX_DONE;
}

// Removes every `ticket` parameter from the query the proxy sends on ($args, the unparsed URI)
// and from the request line ($request, the error log's `request:`), so that a ticket reaches no
// log and no upstream but the worker's internal check.
ngx_int_t scrub_ticket(ngx_http_request_t* r) {
    std::string args = query_without(ngx::view(r->args), kTicket);
    std::string_view raw = ngx::view(r->unparsed_uri);
    std::string uri(raw.substr(0, raw.find('?')));
    if (!args.empty()) {
        uri += "?" + args;
    }
    std::string line(ngx::view(r->method_name));
    line += " " + uri;
    if (r->http_protocol.len > 0) {
        line += " " + std::string(ngx::view(r->http_protocol));
    }
    ngx_str_t new_args, new_uri, new_line;
    if (pool_str(r->pool, args, &new_args) != NGX_OK ||
        pool_str(r->pool, uri, &new_uri) != NGX_OK ||
        pool_str(r->pool, line, &new_line) != NGX_OK) {
        return NGX_ERROR;
    }
    r->args = new_args;
    r->unparsed_uri = new_uri;
    r->request_line = new_line;
    return NGX_OK;
}

ngx_int_t ask_worker(ngx_http_request_t* r, RequestCtx* ctx, LocConf* lc) {
    std::optional<std::string> ticket;
    bool present = false;
    if (auto raw = first_query_value(ngx::view(r->args), kTicket)) {
        present = true;
        ticket = handshake_ticket(*raw);
    }
    if (scrub_ticket(r) != NGX_OK) {
        return NGX_ERROR;
    }
    if (!present) {
        return refuse_handshake(r, metrics::Handshake::no_ticket, "No ticket");
    }
    if (!ticket) {
        return refuse_handshake(r, metrics::Handshake::malformed, "Malformed ticket");
    }
    ctx->ticket_value = std::move(*ticket);
    if (start_subrequest(r, lc->ticket_uri, {}, &ctx->ticket) != NGX_OK) {
        return NGX_ERROR;
    }
    return NGX_AGAIN;
}

ngx_int_t worker_answered(ngx_http_request_t* r, RequestCtx* ctx) {
    const SubAnswer& a = ctx->ticket;
    if (worker_refused_edge(r, a)) {
        return handshake_unavailable(r, "Ticket check unavailable");
    }
    if (a.status == NGX_HTTP_UNAUTHORIZED) {
        return refuse_handshake(r, metrics::Handshake::refused,
                                contract::rest_error_details(a.body, "Invalid ticket"));
    }
    auto body = a.status == NGX_HTTP_OK ? json::Json::parse(a.body) : std::nullopt;
    auto username = body ? json::string_member(body->get(), "username") : std::nullopt;
    auto address = username ? identity::parse_address(*username) : std::nullopt;
    if (!address) {
        if (a.status != NGX_HTTP_SERVICE_UNAVAILABLE) {
            ngx_log_error(NGX_LOG_WARN, r->connection->log, 0,
                          "twake_calendar: the ticket check answered %d", a.status);
        }
        return handshake_unavailable(r, "Ticket check unavailable");
    }
    auto sid = json::string_member(body->get(), "sid").value_or("");
    ctx->set_identity(r->pool, address->full(), sid);
    ctx->authenticated = true;
    ctx->method = AuthMethod::Ticket;
    ctx->level = CacheLevel::None;
    count(metrics::Handshake::ok, metrics::Outcome::ok);
    return NGX_OK;
}

}  // namespace

ngx_int_t ticket_step(ngx_http_request_t* r, RequestCtx* ctx, LocConf* lc) {
    if (ctx->authenticated) {
        return NGX_OK;
    }
    if (!ctx->ticket.started) {
        return ask_worker(r, ctx, lc);
    }
    if (!ctx->ticket.done) {
        return NGX_AGAIN;
    }
    return worker_answered(r, ctx);
}

}  // namespace twake::edge
