// Basic credentials (docs/reference/auth.md §3): the admin account, compared in constant time; else
// the worker's LDAP check, a success cached 60 s in the first level under an HMAC of login and
// password (never the password itself).

#include "ngx_module/access_answer.hpp"
#include "ngx_module/token_cache.hpp"
#include "shared/identity/address.hpp"
#include "shared/json/json.hpp"
#include "shared/crypto/digest.hpp"

namespace twake::edge {

namespace {

constexpr int64_t kBasicCacheMs = 60 * 1000;  // docs/reference/edge-worker.md §2: ≤ 60 s

using ngx::now_ms;

}  // namespace

ngx_int_t basic_step(ngx_http_request_t* r, RequestCtx* ctx, MainConf* mc, LocConf* lc) {
    const Credential& c = ctx->credential;
    if (!ctx->basic.started) {
        if (mc->admin_user.len > 0 && mc->admin_password.len > 0 &&
            identity::equal_ignoring_case(c.login, ngx::view(mc->admin_user)) &&
            crypto::secrets_equal(c.password, ngx::view(mc->admin_password))) {
            return succeed(r, ctx, AuthMethod::Admin, identity::lower(ngx::view(mc->admin_user)),
                           CacheLevel::None);
        }
        if (lc->basic_uri.len == 0) {
            return refuse(r, "Wrong login or password");
        }
        std::string key =
            crypto::hmac_sha256(mc->runtime->basic_cache_key, c.login + '\0' + c.password);
        if (auto username = mc->runtime->cache->find_basic(key, now_ms())) {
            return succeed(r, ctx, AuthMethod::Basic, *username, CacheLevel::Shm);
        }
        if (start_subrequest(r, lc->basic_uri, {}, &ctx->basic) != NGX_OK) {
            return NGX_ERROR;
        }
        return NGX_AGAIN;
    }
    if (!ctx->basic.done) {
        return NGX_AGAIN;
    }
    if (worker_refused_edge(r, ctx->basic)) {
        return unavailable(r, "LDAP check unavailable");
    }
    if (ctx->basic.status == NGX_HTTP_UNAUTHORIZED) {
        return refuse(r, "Wrong login or password");
    }
    if (ctx->basic.status == NGX_HTTP_FORBIDDEN) {
        return answer_error(r, NGX_HTTP_FORBIDDEN, "Forbidden", "Forbidden",
                            contract::rest_error_details(ctx->basic.body, "Unknown domain"));
    }
    auto body = json::Json::parse(ctx->basic.body);
    auto username = body ? json::string_member(body->get(), "username") : std::nullopt;
    if (ctx->basic.status != NGX_HTTP_OK || !username) {
        return unavailable(r, "LDAP check unavailable");
    }
    std::string key =
        crypto::hmac_sha256(mc->runtime->basic_cache_key, c.login + '\0' + c.password);
    mc->runtime->cache->store_basic(key, identity::lower(*username), kBasicCacheMs, now_ms());
    return succeed(r, ctx, AuthMethod::Basic, identity::lower(*username), CacheLevel::Idp);
}

}  // namespace twake::edge
