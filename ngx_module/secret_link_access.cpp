// The access phase of a secret-link download (docs/reference/rest-api.md §9,
// docs/reference/edge-worker.md §2): the `?token=` opens the calendar as its owner. The worker says
// whose link the token is and what to export; its answer is kept 5 s in the first level (a reset
// link stops working within that time), its refusals are passed on as they are. The token is never
// logged.

#include "ngx_module/edge_process.hpp"
#include "ngx_module/json_error.hpp"
#include "ngx_module/module_state.hpp"
#include "ngx_module/token_cache.hpp"
#include "shared/json/json.hpp"
#include "shared/crypto/digest.hpp"
#include "shared/secretlink/link_token.hpp"
#include "shared/text/percent.hpp"

namespace twake::edge {

namespace {

constexpr int64_t kLinkCacheMs = 5000;  // docs/reference/edge-worker.md §2.4: ≤ 5 s
constexpr std::string_view kJson = "application/json; charset=utf-8";

using ngx::now_ms;

void count(metrics::Outcome outcome, CacheLevel level = CacheLevel::None) {
    metrics::EdgeMetrics* m = edge_metrics();
    if (m == nullptr) {
        return;
    }
    m->count_auth(metrics::Method::link, outcome);
    if (level != CacheLevel::None) {
        m->count_source(metrics::Method::link,
                        level == CacheLevel::Shm ? metrics::Source::shm : metrics::Source::idp);
    }
}

// A complete answer from the access phase.
ngx_int_t answer(ngx_http_request_t* r, ngx_uint_t status, std::string_view body) {
    ngx_http_finalize_request(r, send_body(r, status, kJson, body));
    return NGX_DONE;
}

ngx_int_t answer_error(ngx_http_request_t* r, ngx_uint_t status, metrics::Outcome outcome,
                       std::string_view type, std::string_view message, std::string_view details) {
    count(outcome);
    return answer(
        r, status,
        contract::rest_error_document(static_cast<unsigned>(status), type, message, details));
}

ngx_int_t open_as_owner(ngx_http_request_t* r, RequestCtx* ctx, std::string_view owner,
                        std::string_view export_path, CacheLevel level) {
    ngx_str_t path;
    if (pool_str(r->pool, export_path, &path) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }
    ctx->set_identity(r->pool, owner, {});
    ctx->export_path = ngx::view(path);
    ctx->authenticated = true;
    ctx->method = AuthMethod::SecretLink;
    ctx->level = level;
    count(metrics::Outcome::ok, level);
    return NGX_OK;
}

// Only a path into esn-sabre's calendars, and nothing a header could be split on.
bool usable_export_path(std::string_view path) {
    return path.starts_with("/calendars/") &&
           path.find_first_of(" \r\n\t#") == std::string_view::npos;
}

ngx_int_t ask_worker(ngx_http_request_t* r, RequestCtx* ctx, MainConf* mc, LocConf* lc) {
    auto path = secretlink::download_path(ngx::view(r->uri));
    if (!path) {
        return answer_error(r, NGX_HTTP_NOT_FOUND, metrics::Outcome::refused, "NotFound",
                            "Not Found", "Calendar not found");
    }
    std::optional<std::string> token = std::string();
    ngx_str_t raw;
    if (ngx_http_arg(r, reinterpret_cast<u_char*>(const_cast<char*>("token")), 5, &raw) == NGX_OK) {
        auto decoded = text::percent_decode(ngx::view(raw), true);
        token = decoded ? secretlink::read_link_token(*decoded) : std::nullopt;
    }
    if (!token) {
        return answer_error(
            r, NGX_HTTP_BAD_REQUEST, metrics::Outcome::bad_request, "BadRequest", "Bad Request",
            "Invalid token: only letters, digits, hyphen, and underscore are allowed.");
    }
    if (token->empty()) {
        return answer_error(r, NGX_HTTP_FORBIDDEN, metrics::Outcome::forbidden, "Forbidden",
                            "Forbidden", "Token validation failed");
    }
    ctx->link_token = std::move(*token);
    ctx->link_key = crypto::sha256(path->home + '\0' + path->calendar + '\0' + ctx->link_token);
    if (auto hit = mc->runtime->cache->find_link(ctx->link_key, now_ms())) {
        return open_as_owner(r, ctx, hit->owner, hit->export_path, CacheLevel::Shm);
    }
    ngx_str_t uri;
    std::string target =
        std::string(ngx::view(lc->secret_link_uri)) + "/" + path->home + "/" + path->calendar;
    if (pool_str(r->pool, target, &uri) != NGX_OK ||
        start_subrequest(r, uri, {}, &ctx->link) != NGX_OK) {
        return NGX_ERROR;
    }
    return NGX_AGAIN;
}

ngx_int_t worker_answered(ngx_http_request_t* r, RequestCtx* ctx, MainConf* mc) {
    const SubAnswer& a = ctx->link;
    auto body = json::Json::parse(a.body);
    if (a.status == NGX_HTTP_OK && body) {
        auto owner = json::string_member(body->get(), "owner");
        auto export_path = json::string_member(body->get(), "exportPath");
        if (owner && !owner->empty() && export_path && usable_export_path(*export_path)) {
            mc->runtime->cache->store_link(ctx->link_key, *owner, *export_path, kLinkCacheMs,
                                           now_ms());
            return open_as_owner(r, ctx, *owner, *export_path, CacheLevel::Idp);
        }
    }
    // The worker's refusals (400, 403, 404, 503) are the route's answers: passed on as they
    // are (docs/reference/edge-worker.md §2).
    bool refusal = a.status == NGX_HTTP_BAD_REQUEST || a.status == NGX_HTTP_FORBIDDEN ||
                   a.status == NGX_HTTP_NOT_FOUND || a.status == NGX_HTTP_SERVICE_UNAVAILABLE;
    if (refusal && body && cJSON_GetObjectItemCaseSensitive(body->get(), "error") != nullptr) {
        count(a.status == NGX_HTTP_BAD_REQUEST           ? metrics::Outcome::bad_request
              : a.status == NGX_HTTP_SERVICE_UNAVAILABLE ? metrics::Outcome::unavailable
                                                         : metrics::Outcome::forbidden);
        return answer(r, static_cast<ngx_uint_t>(a.status), a.body);
    }
    ngx_log_error(NGX_LOG_WARN, r->connection->log, 0,
                  "twake_calendar: 503: the secret-link check answered %d", a.status);
    return answer_error(r, NGX_HTTP_SERVICE_UNAVAILABLE, metrics::Outcome::unavailable,
                        "ServiceUnavailable", "Service Unavailable", "Service Unavailable");
}

}  // namespace

ngx_int_t secret_link_step(ngx_http_request_t* r, RequestCtx* ctx, MainConf* mc, LocConf* lc) {
    if (ctx->authenticated) {
        return NGX_OK;
    }
    if (!ctx->link.started) {
        return ask_worker(r, ctx, mc, lc);
    }
    if (!ctx->link.done) {
        return NGX_AGAIN;
    }
    return worker_answered(r, ctx, mc);
}

}  // namespace twake::edge
