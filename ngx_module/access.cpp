// The access phase: who is the caller? (docs/reference/auth.md §1–4, docs/reference/edge-worker.md
// §2, §5.) The pattern is nginx's auth_request: a flow starts subrequests to internal locations
// (identity provider, worker) or waits for Redis, returns NGX_AGAIN, and is called again when the
// answer is in; the per-request context carries the state between the visits. A cache hit answers
// with no I/O at all. Each credential kind has its file: basic_access.cpp, jwt_access.cpp,
// oidc_access.cpp (whose decisions are core/oidc_flow.hpp's), and the two locations opened by
// something else than a credential: secret_link_access.cpp, ticket_access.cpp.

#include "ngx_module/access_answer.hpp"

namespace twake::edge {

namespace {

ngx_int_t step(ngx_http_request_t* r, RequestCtx* ctx, MainConf* mc, LocConf* lc) {
    if (ctx->authenticated) {
        return NGX_OK;  // a later visit (internal redirect, another access handler)
    }
    switch (ctx->credential.kind) {
        case CredentialKind::None:
            if (static_cast<AuthMode>(lc->auth) == AuthMode::Optional) {
                return NGX_OK;  // passthrough forwards anonymous requests as they are
            }
            return refuse(r, "No credentials");
        case CredentialKind::Unsupported:
            return refuse(r, "Unsupported credentials");
        case CredentialKind::Basic:
            return basic_step(r, ctx, mc, lc);
        case CredentialKind::LegacyJwt:
            return jwt_step(r, ctx, mc, lc);
        case CredentialKind::Bearer:
            return oidc_step(r, ctx, mc, lc);
    }
    return refuse(r, "Unsupported credentials");
}

void destroy_ctx(void* data) {
    auto* ctx = static_cast<RequestCtx*>(data);
    if (ctx->wakeup) {
        ctx->wakeup->forget();
    }
    abandon_flight(ctx);
    ctx->~RequestCtx();
}

}  // namespace

void RequestCtx::set_identity(ngx_pool_t* pool, std::string_view new_email,
                              std::string_view new_sid) {
    for (auto [from, to] : {std::pair{new_email, &email}, std::pair{new_sid, &sid}}) {
        ngx_str_t copy = ngx_null_string;
        if (!from.empty() && pool_str(pool, from, &copy) != NGX_OK) {
            throw std::bad_alloc();
        }
        *to = ngx::view(copy);
    }
}

RequestCtx* request_ctx(ngx_http_request_t* r) {
    return static_cast<RequestCtx*>(
        ngx_http_get_module_ctx(r->main, ngx_http_twake_calendar_module));
}

ngx_int_t access_handler(ngx_http_request_t* r) {
    if (r != r->main) {
        return NGX_DECLINED;
    }
    LocConf* lc = loc_conf(r);
    bool secret_link = lc->secret_link_uri.len > 0;
    bool ticket = lc->ticket_uri.len > 0;
    if (!secret_link && !ticket && static_cast<AuthMode>(lc->auth) == AuthMode::Off) {
        return NGX_DECLINED;
    }
    try {
        MainConf* mc = main_conf(r);
        RequestCtx* ctx = request_ctx(r);
        if (ctx == nullptr) {
            void* mem = ngx_palloc(r->pool, sizeof(RequestCtx));
            ngx_pool_cleanup_t* cleanup = ngx_pool_cleanup_add(r->pool, 0);
            if (mem == nullptr || cleanup == nullptr) {
                return NGX_HTTP_INTERNAL_SERVER_ERROR;
            }
            ctx = new (mem) RequestCtx();
            cleanup->handler = destroy_ctx;
            cleanup->data = ctx;
            ngx_http_set_ctx(r, ctx, ngx_http_twake_calendar_module);
            if (!secret_link && !ticket) {
                ngx_table_elt_t* authorization = r->headers_in.authorization;
                ctx->credential = read_credential(
                    authorization != nullptr ? std::optional(ngx::view(authorization->value))
                                             : std::nullopt);
            }
        }
        if (ticket) {
            return ticket_step(r, ctx, lc);  // the ticket only: an Authorization is ignored
        }
        return secret_link ? secret_link_step(r, ctx, mc, lc) : step(r, ctx, mc, lc);
    } catch (const std::exception& e) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0, "twake_calendar: %s", e.what());
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }
}

}  // namespace twake::edge
