// The access phase: who is the caller? (docs/reference/auth.md §1–4,
// docs/reference/edge-worker.md §2, §5.) The pattern is nginx's auth_request: the handler starts
// subrequests to internal locations (identity provider, worker), returns NGX_AGAIN, and is called
// again when they have finished; the per-request context carries the state between the visits. A
// cache hit answers with no I/O at all.

#include <algorithm>
#include <array>
#include <span>
#include <chrono>

#include "ngx_module/edge_process.hpp"
#include "ngx_module/json_error.hpp"
#include "ngx_module/module_state.hpp"
#include "ngx_module/token_cache.hpp"
#include "shared/identity/address.hpp"
#include "shared/json/json.hpp"
#include "shared/jwt/digest.hpp"
#include "shared/jwt/jwt_error.hpp"
#include "shared/jwt/legacy_jwt.hpp"

namespace twake::edge {

namespace {

constexpr int64_t kBasicCacheMs = 60 * 1000;   // docs/reference/edge-worker.md §4.1: ≤ 60 s
constexpr int64_t kDomainCacheMs = 60 * 1000;  // docs/reference/edge-worker.md §4.1: ≤ 60 s

using ngx::now_ms;

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
            case AuthMethod::None:
                break;
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

ngx_int_t refuse(ngx_http_request_t* r, std::string_view details) {
    ngx_log_error(NGX_LOG_INFO, r->connection->log, 0, "twake_calendar: 401: %*s",
                  static_cast<int>(details.size()), details.data());
    count(r, metrics::Outcome::refused);
    return send_unauthorized(r, details);
}

ngx_int_t succeed(ngx_http_request_t* r, RequestCtx* ctx, AuthMethod method, std::string_view email,
                  CacheLevel level, std::string_view sid = {}) {
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

// The post-subrequest handler: keeps status and body (in memory) for the next visit. nginx
// may call it twice for one subrequest (once with an error status, once after its error page):
// the request waiting for it is woken once.
ngx_int_t subrequest_done(ngx_http_request_t* sr, void* data, ngx_int_t rc) {
    auto* answer = static_cast<SubAnswer*>(data);
    if (!answer->done) {
        answer->done = true;
        // A background subrequest does not wake its parent itself.
        if (ngx_http_post_request(sr->parent, nullptr) != NGX_OK) {
            return NGX_ERROR;
        }
    }
    answer->status = static_cast<int>(sr->headers_out.status);
    if (answer->status == 0 && rc >= NGX_HTTP_SPECIAL_RESPONSE) {
        answer->status = static_cast<int>(rc);
    }
    if (sr->out != nullptr && sr->out->buf != nullptr) {
        ngx_buf_t* b = sr->out->buf;
        answer->body.assign(reinterpret_cast<const char*>(b->pos),
                            static_cast<size_t>(b->last - b->pos));
    }
    return rc;
}

}  // namespace

ngx_int_t start_subrequest(ngx_http_request_t* r, const ngx_str_t& uri, std::string_view args,
                           SubAnswer* answer) {
    auto* ps = static_cast<ngx_http_post_subrequest_t*>(
        ngx_palloc(r->pool, sizeof(ngx_http_post_subrequest_t)));
    if (ps == nullptr) {
        return NGX_ERROR;
    }
    ps->handler = subrequest_done;
    ps->data = answer;
    ngx_str_t* sub_args = nullptr;
    ngx_str_t a;
    if (!args.empty()) {
        if (pool_str(r->pool, args, &a) != NGX_OK) {
            return NGX_ERROR;
        }
        sub_args = &a;
    }
    ngx_str_t u = uri;
    ngx_http_request_t* sr = nullptr;
    // In the background: a subrequest that waits in its parent's output queue is only finished
    // by the parent's body, and a HEAD or an error answered in the access phase has none (nginx
    // then never finishes the main request and the connection hangs). Several lookups run at
    // once (introspection and userinfo), so most of them would wait there.
    if (ngx_http_subrequest(r, &u, sub_args, &sr, ps,
                            NGX_HTTP_SUBREQUEST_IN_MEMORY | NGX_HTTP_SUBREQUEST_BACKGROUND) !=
        NGX_OK) {
        return NGX_ERROR;
    }
    // A fake, empty body: the subrequest must neither read nor reuse the client's (a 50 MB PUT
    // stays with the main request), nor announce it: the client's Content-Length or chunked
    // encoding would make the internal location's server wait for a body that never comes.
    sr->request_body = static_cast<ngx_http_request_body_t*>(
        ngx_pcalloc(r->pool, sizeof(ngx_http_request_body_t)));
    if (sr->request_body == nullptr) {
        return NGX_ERROR;
    }
    sr->headers_in.content_length_n = 0;
    sr->headers_in.content_length = nullptr;
    sr->headers_in.chunked = 0;
    sr->headers_in.transfer_encoding = nullptr;
    answer->started = true;
    return NGX_OK;
}

namespace {

// The Authorization header values: the first two are enough to tell one from several (no
// allocation: this runs on every request).
struct AuthorizationHeaders {
    std::array<std::string_view, 2> values;
    size_t count = 0;
    std::span<const std::string_view> view() const { return {values.data(), count}; }
};

AuthorizationHeaders authorization_headers(ngx_http_request_t* r) {
    AuthorizationHeaders found;
    for (ngx_list_part_t* part = &r->headers_in.headers.part; part != nullptr; part = part->next) {
        auto* h = static_cast<ngx_table_elt_t*>(part->elts);
        for (ngx_uint_t i = 0; i < part->nelts; ++i) {
            if (h[i].key.len == 13 &&
                ngx_strncasecmp(h[i].key.data, (u_char*)"authorization", 13) == 0) {
                found.values[found.count++] = ngx::view(h[i].value);
                if (found.count == found.values.size()) {
                    return found;
                }
            }
        }
    }
    return found;
}

// Whether the worker refused the edge itself (its API on TCP without our secret): an outage
// to fix in the configuration, not the caller's fault.
bool worker_refused_edge(ngx_http_request_t* r, const SubAnswer& answer) {
    if (answer.status != NGX_HTTP_UNAUTHORIZED) {
        return false;
    }
    auto body = json::Json::parse(answer.body);
    const cJSON* error = body ? cJSON_GetObjectItemCaseSensitive(body->get(), "error") : nullptr;
    if (json::string_member(error, "details") != "Missing or wrong edge secret") {
        return false;
    }
    ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                  "twake_calendar: the worker refused the edge secret: set "
                  "twake_calendar_edge_secret to the worker's edge.secret");
    return true;
}

// The details of a worker's JSON refusal, passed on to the client.
std::string worker_refusal_details(const SubAnswer& answer, std::string fallback) {
    auto body = json::Json::parse(answer.body);
    const cJSON* error = body ? cJSON_GetObjectItemCaseSensitive(body->get(), "error") : nullptr;
    return json::string_member(error, "details").value_or(std::move(fallback));
}

// -- Basic: the admin account, else LDAP through the worker ---------------------------------
ngx_int_t basic_step(ngx_http_request_t* r, RequestCtx* ctx, MainConf* mc, LocConf* lc) {
    const Credential& c = ctx->credential;
    if (!ctx->basic.started) {
        if (mc->admin_user.len > 0 && mc->admin_password.len > 0 &&
            identity::equal_ignoring_case(c.login, ngx::view(mc->admin_user)) &&
            jwt::secrets_equal(c.password, ngx::view(mc->admin_password))) {
            return succeed(r, ctx, AuthMethod::Admin, identity::lower(ngx::view(mc->admin_user)),
                           CacheLevel::None);
        }
        if (lc->basic_uri.len == 0) {
            return refuse(r, "Wrong login or password");
        }
        std::string key =
            jwt::hmac_sha256(mc->runtime->basic_cache_key, c.login + '\0' + c.password);
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
                            worker_refusal_details(ctx->basic, "Unknown domain"));
    }
    auto body = json::Json::parse(ctx->basic.body);
    auto username = body ? json::string_member(body->get(), "username") : std::nullopt;
    if (ctx->basic.status != NGX_HTTP_OK || !username) {
        return unavailable(r, "LDAP check unavailable");
    }
    std::string key = jwt::hmac_sha256(mc->runtime->basic_cache_key, c.login + '\0' + c.password);
    mc->runtime->cache->store_basic(key, identity::lower(*username), kBasicCacheMs, now_ms());
    return succeed(r, ctx, AuthMethod::Basic, identity::lower(*username), CacheLevel::Idp);
}

// -- Legacy OpenPaaS JWT: RS256 signature, expiry, registered domain ------------------------
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

// -- OIDC opaque token -----------------------------------------------------------------------
// Shared memory, else (one request per token and process) Redis, else introspection and
// userinfo in parallel, then provisioning. The request that looks a token up leads a flight;
// concurrent requests for the same token follow it and share its outcome.

bool token_usable(int64_t exp, std::string_view audiences, int64_t now, const Runtime* rt) {
    return now < (exp + 1) * 1000 && joined_audience_accepted(audiences, rt->oidc);  // now ≤ exp
}

// Whether a first-level entry may be used: not when a revocation could have been missed.
bool first_level_trusted(int64_t stored_at_ms, int64_t now) {
    EdgeProcess* p = edge_process();
    return p == nullptr || !p->revocations || p->revocations->trusts(stored_at_ms, now);
}

std::string_view token_digest(RequestCtx* ctx) {
    if (!ctx->token_digested) {
        ctx->token_digest = jwt::sha256_digest(ctx->credential.token);
        ctx->token_digested = true;
    }
    return jwt::view(ctx->token_digest);
}

const std::string& redis_digest(RequestCtx* ctx) {
    if (ctx->redis_digest.empty()) {
        ctx->redis_digest = jwt::sha512(ctx->credential.token);
    }
    return ctx->redis_digest;
}

void store_first_level(MainConf* mc, RequestCtx* ctx, const CachedToken& t, int64_t now) {
    if (!mc->shm_cache) {
        return;
    }
    auto ttl = static_cast<int64_t>(mc->cache_ttl);
    EdgeProcess* p = edge_process();
    if (p != nullptr && p->revocations) {
        ttl = p->revocations->cap_ttl(ttl);
    }
    mc->runtime->cache->store_token(token_digest(ctx), redis_digest(ctx), t, ttl, now);
}

ngx_int_t apply_outcome(ngx_http_request_t* r, RequestCtx* ctx, const TokenOutcome& o) {
    switch (o.kind) {
        case TokenOutcome::Kind::Valid:
            return succeed(r, ctx, AuthMethod::Oidc, o.token.email, o.level, o.token.sid);
        case TokenOutcome::Kind::Refused:
            return refuse(r, o.details);
        case TokenOutcome::Kind::Forbidden:
            return answer_error(r, NGX_HTTP_FORBIDDEN, "Forbidden", "Forbidden", o.details);
        case TokenOutcome::Kind::Unavailable:
        case TokenOutcome::Kind::Retry:
            break;
    }
    return unavailable(r, o.details.empty() ? "Identity provider unavailable" : o.details);
}

// The leader's outcome: to the followers first, then to its own request.
ngx_int_t conclude(ngx_http_request_t* r, RequestCtx* ctx, TokenOutcome o) {
    if (ctx->leading) {
        ctx->leading = false;
        if (EdgeProcess* p = edge_process()) {
            p->flights.land(token_digest(ctx), o);
        }
    }
    return apply_outcome(r, ctx, o);
}

TokenOutcome outcome(TokenOutcome::Kind kind, std::string details) {
    TokenOutcome o;
    o.kind = kind;
    o.details = std::move(details);
    return o;
}

void prepare_wait(ngx_http_request_t* r, RequestCtx* ctx) {
    if (!ctx->wakeup) {
        ctx->wakeup = std::make_shared<Wakeup>(r);
    }
    ctx->awaited = std::make_shared<AwaitedOutcome>();
}

void record_idp_call(const RequestCtx* ctx) {
    metrics::EdgeMetrics* m = edge_metrics();
    if (m == nullptr) {
        return;
    }
    auto took = std::chrono::steady_clock::now() - ctx->idp_started;
    m->idp_latency.observe(
        static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(took).count()));
    auto result = ctx->resolution.verdict == TokenVerdict::Valid     ? metrics::CallResult::ok
                  : ctx->resolution.verdict == TokenVerdict::Refused ? metrics::CallResult::refused
                                                                     : metrics::CallResult::error;
    metrics::EdgeMetrics::add(m->idp_calls[size_t(result)]);
}

ngx_int_t start_idp(ngx_http_request_t* r, RequestCtx* ctx, LocConf* lc) {
    if (lc->introspection_uri.len == 0 || lc->userinfo_uri.len == 0) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "twake_calendar: twake_calendar_introspection and twake_calendar_userinfo "
                      "must name the identity provider's internal locations");
        return conclude(
            r, ctx, outcome(TokenOutcome::Kind::Unavailable, "Identity provider not configured"));
    }
    ctx->oidc_stage = RequestCtx::OidcStage::Idp;
    ctx->idp_started = std::chrono::steady_clock::now();
    // Both calls at once (docs/reference/auth.md §2.1).
    if (start_subrequest(r, lc->introspection_uri, {}, &ctx->introspection) != NGX_OK ||
        start_subrequest(r, lc->userinfo_uri, {}, &ctx->userinfo) != NGX_OK) {
        return NGX_ERROR;
    }
    return NGX_AGAIN;
}

ngx_int_t oidc_start(ngx_http_request_t* r, RequestCtx* ctx, MainConf* mc, LocConf* lc) {
    Runtime* rt = mc->runtime;
    std::string_view digest = token_digest(ctx);
    int64_t now = now_ms();
    if (mc->shm_cache) {
        if (auto hit = rt->cache->find_token(digest, now)) {
            if (token_usable(hit->exp, hit->audiences, now, rt) &&
                first_level_trusted(hit->stored_at_ms, now)) {
                return succeed(r, ctx, AuthMethod::Oidc, hit->email, CacheLevel::Shm, hit->sid);
            }
        }
    }
    if (rt->cache->refused(digest, now)) {
        return refuse(r, "Token is not active");
    }
    EdgeProcess* p = edge_process();
    if (p == nullptr) {
        return start_idp(r, ctx, lc);
    }
    prepare_wait(r, ctx);
    if (!p->flights.join(digest, {ctx->wakeup, ctx->awaited})) {
        if (metrics::EdgeMetrics* m = edge_metrics()) {
            metrics::EdgeMetrics::add(m->coalesced);
        }
        ctx->oidc_stage = RequestCtx::OidcStage::Following;
        return NGX_AGAIN;
    }
    ctx->leading = true;
    if (!p->tokens || !p->tokens->usable()) {
        if (p->tokens && p->metrics != nullptr) {
            metrics::EdgeMetrics::add(p->metrics->redis_skipped);
        }
        return start_idp(r, ctx, lc);
    }
    ctx->oidc_stage = RequestCtx::OidcStage::Redis;
    p->tokens->find(redis_digest(ctx), [slot = ctx->awaited, wakeup = ctx->wakeup](
                                           std::optional<CachedToken> token, bool) {
        slot->arrived = true;
        if (token) {
            slot->value.kind = TokenOutcome::Kind::Valid;
            slot->value.token = std::move(*token);
            slot->value.level = CacheLevel::Redis;
        }
        wakeup->post();
    });
    return NGX_AGAIN;
}

ngx_int_t oidc_after_redis(ngx_http_request_t* r, RequestCtx* ctx, MainConf* mc, LocConf* lc) {
    const TokenOutcome& found = ctx->awaited->value;
    int64_t now = now_ms();
    if (found.kind == TokenOutcome::Kind::Valid &&
        token_usable(found.token.exp, found.token.audiences, now, mc->runtime)) {
        store_first_level(mc, ctx, found.token, now);
        return conclude(r, ctx, found);
    }
    return start_idp(r, ctx, lc);  // a miss, an error or an entry no longer usable
}

ngx_int_t oidc_after_idp(ngx_http_request_t* r, RequestCtx* ctx, MainConf* mc, LocConf* lc) {
    Runtime* rt = mc->runtime;
    if (!ctx->introspection.done || !ctx->userinfo.done) {
        return NGX_AGAIN;
    }
    if (!ctx->provision.started) {
        int64_t now = now_ms();
        ctx->resolution =
            resolve_token(ctx->introspection.status, ctx->introspection.body, ctx->userinfo.status,
                          ctx->userinfo.body, rt->oidc, now / 1000);
        record_idp_call(ctx);
        switch (ctx->resolution.verdict) {
            case TokenVerdict::Unavailable:  // an outage caches nothing
                return conclude(r, ctx,
                                outcome(TokenOutcome::Kind::Unavailable, ctx->resolution.reason));
            case TokenVerdict::Refused:
                rt->cache->store_refusal(token_digest(ctx), static_cast<int64_t>(mc->negative_ttl),
                                         now);
                return conclude(r, ctx,
                                outcome(TokenOutcome::Kind::Refused, ctx->resolution.reason));
            case TokenVerdict::Valid:
                break;
        }
        ctx->set_identity(r->pool, ctx->resolution.info.email, {});  // for the provisioning call
        if (lc->provision_uri.len > 0) {
            // esn-sabre impersonates only users present in MongoDB (docs/reference/auth.md §2.4):
            // the worker creates the user before the token is cached or forwarded.
            if (start_subrequest(r, lc->provision_uri, {}, &ctx->provision) != NGX_OK) {
                return NGX_ERROR;
            }
            return NGX_AGAIN;
        }
    } else if (!ctx->provision.done) {
        return NGX_AGAIN;
    }
    if (ctx->provision.started) {
        if (ctx->provision.status == NGX_HTTP_FORBIDDEN) {
            return conclude(r, ctx,
                            outcome(TokenOutcome::Kind::Forbidden,
                                    worker_refusal_details(ctx->provision, "Unknown domain")));
        }
        if (ctx->provision.status != NGX_HTTP_OK) {
            worker_refused_edge(r, ctx->provision);  // logs the fix when that is the cause
            return conclude(
                r, ctx, outcome(TokenOutcome::Kind::Unavailable, "User provisioning unavailable"));
        }
    }
    const TokenInfo& info = ctx->resolution.info;
    int64_t now = now_ms();
    TokenOutcome valid;
    valid.kind = TokenOutcome::Kind::Valid;
    valid.level = CacheLevel::Idp;
    valid.token =
        CachedToken{info.email, info.sid.value_or(""), info.exp, join_audiences(info.audiences)};
    store_first_level(mc, ctx, valid.token, now);
    if (EdgeProcess* p = edge_process(); p != nullptr && p->tokens) {
        int64_t ttl_ms = std::min(static_cast<int64_t>(mc->cache_ttl), info.exp * 1000 - now);
        p->tokens->save(redis_digest(ctx), valid.token, ttl_ms / 1000);
    }
    return conclude(r, ctx, valid);
}

ngx_int_t oidc_step(ngx_http_request_t* r, RequestCtx* ctx, MainConf* mc, LocConf* lc) {
    using Stage = RequestCtx::OidcStage;
    switch (ctx->oidc_stage) {
        case Stage::Start:
            return oidc_start(r, ctx, mc, lc);
        case Stage::Following:
            if (!ctx->awaited->arrived) {
                return NGX_AGAIN;
            }
            if (ctx->awaited->value.kind == TokenOutcome::Kind::Retry) {
                ctx->oidc_stage = Stage::Start;  // the leader went away: look again
                return oidc_start(r, ctx, mc, lc);
            }
            return apply_outcome(r, ctx, ctx->awaited->value);
        case Stage::Redis:
            if (!ctx->awaited->arrived) {
                return NGX_AGAIN;
            }
            return oidc_after_redis(r, ctx, mc, lc);
        case Stage::Idp:
            return oidc_after_idp(r, ctx, mc, lc);
    }
    return NGX_ERROR;
}

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
        case CredentialKind::TooMany:
            return answer_error(r, NGX_HTTP_BAD_REQUEST, "BadRequest", "Bad request",
                                "Only one set of credential is allowed");
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
    if (ctx->leading) {
        // Gone before knowing (worker shutting down, request aborted): followers look again.
        if (EdgeProcess* p = edge_process()) {
            p->flights.land(token_digest(ctx), TokenOutcome{});
        }
    }
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
    if (!secret_link && static_cast<AuthMode>(lc->auth) == AuthMode::Off) {
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
            if (!secret_link) {
                ctx->credential = read_credential(authorization_headers(r).view());
            }
        }
        return secret_link ? secret_link_step(r, ctx, mc, lc) : step(r, ctx, mc, lc);
    } catch (const std::exception& e) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0, "twake_calendar: %s", e.what());
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }
}

}  // namespace twake::edge
