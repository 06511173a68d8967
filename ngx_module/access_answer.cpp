#include "ngx_module/access_answer.hpp"

#include "ngx_module/edge_process.hpp"
#include "ngx_module/json_error.hpp"

namespace twake::edge {

namespace {

metrics::Method metric_method(const RequestCtx* ctx) {
    if (ctx == nullptr) {
        return metrics::Method::none;
    }
    if (ctx->authenticated) {
        switch (ctx->method) {
            case AuthMethod::Oidc:
                return metrics::Method::oidc;
            case AuthMethod::Admin:
                return metrics::Method::admin;
            case AuthMethod::Basic:
                return metrics::Method::basic;
            case AuthMethod::Jwt:
                return metrics::Method::jwt;
            case AuthMethod::SecretLink:
                return metrics::Method::link;
            case AuthMethod::Ticket:
                return metrics::Method::ticket;
        }
        return metrics::Method::none;
    }
    switch (ctx->credential.kind) {
        case CredentialKind::Basic:
            return metrics::Method::basic;
        case CredentialKind::LegacyJwt:
            return metrics::Method::jwt;
        case CredentialKind::Bearer:
            return metrics::Method::oidc;
        default:
            return metrics::Method::none;
    }
}

void count(ngx_http_request_t* r, metrics::Outcome outcome) {
    if (metrics::EdgeMetrics* m = edge_metrics()) {
        m->count_auth(metric_method(request_ctx(r)), outcome);
    }
}

}  // namespace

ngx_int_t succeed(ngx_http_request_t* r, RequestCtx* ctx, AuthMethod method, std::string_view email,
                  CacheLevel level, std::string_view sid) {
    ctx->set_identity(r->pool, email, sid);
    ctx->authenticated = true;
    ctx->method = method;
    ctx->level = level;
    if (metrics::EdgeMetrics* m = edge_metrics()) {
        metrics::Method mm = metric_method(ctx);
        m->count_auth(mm, metrics::Outcome::ok);
        if (level != CacheLevel::None) {
            m->count_source(mm, level == CacheLevel::Shm     ? metrics::Source::shm
                                : level == CacheLevel::Redis ? metrics::Source::redis
                                                             : metrics::Source::idp);
        }
    }
    return NGX_OK;
}

ngx_int_t refuse(ngx_http_request_t* r, std::string_view details) {
    ngx_log_error(NGX_LOG_INFO, r->connection->log, 0, "twake_calendar: 401: %*s",
                  static_cast<int>(details.size()), details.data());
    count(r, metrics::Outcome::refused);
    return send_unauthorized(r, details);
}

ngx_int_t answer_error(ngx_http_request_t* r, ngx_uint_t status, std::string_view type,
                       std::string_view message, std::string_view details) {
    count(r, status == NGX_HTTP_BAD_REQUEST ? metrics::Outcome::bad_request
             : status == NGX_HTTP_FORBIDDEN ? metrics::Outcome::forbidden
                                            : metrics::Outcome::unavailable);
    ngx_int_t rc = send_json_error(r, status, type, message, details);
    ngx_http_finalize_request(r, rc);
    return NGX_DONE;
}

ngx_int_t unavailable(ngx_http_request_t* r, std::string_view details) {
    ngx_log_error(NGX_LOG_WARN, r->connection->log, 0, "twake_calendar: 503: %*s",
                  static_cast<int>(details.size()), details.data());
    return answer_error(r, NGX_HTTP_SERVICE_UNAVAILABLE, "ServiceUnavailable",
                        "Service Unavailable", details);
}

bool worker_refused_edge(ngx_http_request_t* r, const SubAnswer& answer) {
    if (answer.refusal != contract::refusal_name(contract::Refusal::EdgeSecret)) {
        return false;
    }
    ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                  "twake_calendar: the worker refused the edge secret: set "
                  "twake_calendar_edge_secret to the worker's edge.secret");
    return true;
}

}  // namespace twake::edge
