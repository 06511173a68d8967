// Legacy OpenPaaS JWTs (docs/reference/auth.md §4): RS256 only, not expired, and the subject's domain
// registered (the worker's answer cached 60 s in the first level).

#include <chrono>

#include "ngx_module/access_answer.hpp"
#include "ngx_module/token_cache.hpp"
#include "shared/identity/address.hpp"
#include "shared/jwt/jwt_error.hpp"
#include "shared/jwt/legacy_jwt.hpp"

namespace twake::edge {

namespace {

constexpr int64_t kDomainCacheMs = 60 * 1000;  // docs/reference/edge-worker.md §2: ≤ 60 s

using ngx::now_ms;

}  // namespace

ngx_int_t jwt_step(ngx_http_request_t* r, RequestCtx* ctx, MainConf* mc, LocConf* lc) {
    if (!ctx->domain.started) {
        if (!mc->runtime->legacy_verifier) {
            return refuse(r, "Legacy JWTs are not accepted here");
        }
        std::string subject;
        try {
            subject = jwt::verify_login_jwt(*mc->runtime->legacy_verifier, ctx->credential.token,
                                            std::chrono::system_clock::now());
        } catch (const jwt::JwtError& e) {
            return refuse(r, std::string("Invalid JWT: ") + e.what());
        }
        auto address = identity::parse_address(subject);
        if (!address) {
            return refuse(r, "Invalid JWT: the subject is not an address");
        }
        ctx->jwt_subject = address->full();
        ctx->domain_name = address->domain;
        if (lc->domain_uri.len == 0 ||
            mc->runtime->cache->domain_known(address->domain, now_ms())) {
            return succeed(r, ctx, AuthMethod::Jwt, ctx->jwt_subject, CacheLevel::Shm);
        }
        if (start_subrequest(r, lc->domain_uri, "name=" + address->domain, &ctx->domain) !=
            NGX_OK) {
            return NGX_ERROR;
        }
        return NGX_AGAIN;
    }
    if (!ctx->domain.done) {
        return NGX_AGAIN;
    }
    if (ctx->domain.status == NGX_HTTP_NOT_FOUND) {
        return refuse(r, "Invalid JWT: unknown domain");
    }
    if (ctx->domain.status < 200 || ctx->domain.status >= 300) {
        return unavailable(r, "Domain check unavailable");
    }
    mc->runtime->cache->store_domain(ctx->domain_name, kDomainCacheMs, now_ms());
    return succeed(r, ctx, AuthMethod::Jwt, ctx->jwt_subject, CacheLevel::Idp);
}

}  // namespace twake::edge
