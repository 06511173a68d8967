// OIDC opaque tokens (docs/reference/auth.md §2): the nginx side of core/oidc_flow.hpp. The flow decides;
// this file does what it asks — joins the token's flight in this worker process, reads Redis
// on nginx's event loop, starts the identity provider's two subrequests and the provisioning
// one — and hands the answers back. A waiting request is woken by a subrequest's end, the
// Redis reply or its flight's landing, and comes back here through the access handler.

#include <chrono>

#include "ngx_module/access_answer.hpp"
#include "ngx_module/edge_process.hpp"

namespace twake::edge {

namespace {

using Step = OidcFlow::Step;
using Wait = RequestCtx::OidcWait;
using ngx::now_ms;

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
    TokenVerdict verdict = ctx->oidc->resolution().verdict;
    auto result = verdict == TokenVerdict::Valid     ? metrics::CallResult::ok
                  : verdict == TokenVerdict::Refused ? metrics::CallResult::refused
                                                     : metrics::CallResult::error;
    metrics::EdgeMetrics::add(m->idp_calls[size_t(result)]);
}

// The flow's answer: to the followers first (a leader), then to this request.
ngx_int_t conclude(ngx_http_request_t* r, RequestCtx* ctx, LocConf* lc) {
    OidcFlow& flow = *ctx->oidc;
    if (flow.answered_from_first_level()) {
        const TokenView& hit = flow.hit();
        return succeed(r, ctx, AuthMethod::Oidc, hit.email, CacheLevel::Shm, hit.sid);
    }
    const TokenOutcome& o = flow.outcome();
    EdgeProcess* p = edge_process();
    if (auto ttl = flow.redis_ttl_seconds(); ttl && p != nullptr && p->tokens) {
        p->tokens->save(flow.redis_digest(), o.token, *ttl);
    }
    if (ctx->leading) {
        ctx->leading = false;
        if (p != nullptr) {
            p->flights.land(flow.digest(), o);
        }
    }
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
    if (lc->introspection_uri.len == 0 || lc->userinfo_uri.len == 0) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "twake_calendar: twake_calendar_introspection and twake_calendar_userinfo "
                      "must name the identity provider's internal locations");
    }
    return unavailable(r, o.details.empty() ? "Identity provider unavailable" : o.details);
}

// Does what the flow asks until it must wait for something (NGX_AGAIN) or has answered.
ngx_int_t drive(ngx_http_request_t* r, RequestCtx* ctx, LocConf* lc, Step step) {
    OidcFlow& flow = *ctx->oidc;
    EdgeProcess* p = edge_process();
    for (;;) {
        switch (step) {
            case Step::Answer:
                ctx->oidc_wait = Wait::Nothing;
                return conclude(r, ctx, lc);
            case Step::JoinFlight: {
                if (p == nullptr) {
                    step = flow.joined(true, false);  // no process state: alone, no Redis
                    continue;
                }
                prepare_wait(r, ctx);
                ctx->leading = p->flights.join(flow.digest(), {ctx->wakeup, ctx->awaited});
                bool redis_usable = p->tokens && p->tokens->usable();
                if (!ctx->leading && p->metrics != nullptr) {
                    metrics::EdgeMetrics::add(p->metrics->coalesced);
                } else if (ctx->leading && p->tokens && !redis_usable && p->metrics != nullptr) {
                    metrics::EdgeMetrics::add(p->metrics->redis_skipped);
                }
                step = flow.joined(ctx->leading, redis_usable);
                continue;
            }
            case Step::AwaitLeader:
                ctx->oidc_wait = Wait::Leader;
                return NGX_AGAIN;
            case Step::ReadRedis:
                ctx->oidc_wait = Wait::Redis;
                p->tokens->find(flow.redis_digest(), [slot = ctx->awaited, wakeup = ctx->wakeup](
                                                         std::optional<CachedToken> token, bool) {
                    slot->arrived = true;
                    if (token) {
                        slot->value.kind = TokenOutcome::Kind::Valid;
                        slot->value.token = std::move(*token);
                    }
                    wakeup->post();
                });
                return NGX_AGAIN;
            case Step::CallIdentityProvider:
                ctx->oidc_wait = Wait::IdentityProvider;
                ctx->idp_started = std::chrono::steady_clock::now();
                // Both calls at once (docs/reference/auth.md §2.1).
                if (start_subrequest(r, lc->introspection_uri, {}, &ctx->introspection) != NGX_OK ||
                    start_subrequest(r, lc->userinfo_uri, {}, &ctx->userinfo) != NGX_OK) {
                    return NGX_ERROR;
                }
                return NGX_AGAIN;
            case Step::Provision:
                ctx->oidc_wait = Wait::Provisioning;
                // Whom to provision: $twake_calendar_user in the provisioning location.
                ctx->set_identity(r->pool, flow.resolution().info.email, {});
                if (start_subrequest(r, lc->provision_uri, {}, &ctx->provision) != NGX_OK) {
                    return NGX_ERROR;
                }
                return NGX_AGAIN;
        }
        return NGX_ERROR;
    }
}

}  // namespace

ngx_int_t oidc_step(ngx_http_request_t* r, RequestCtx* ctx, MainConf* mc, LocConf* lc) {
    int64_t now = now_ms();
    if (!ctx->oidc) {
        EdgeProcess* p = edge_process();
        const FirstLevelTrust* trust =
            p != nullptr && p->revocations ? &p->revocations->trust() : nullptr;
        OidcCalls calls{lc->introspection_uri.len > 0 && lc->userinfo_uri.len > 0,
                        lc->provision_uri.len > 0};
        ctx->oidc.emplace(mc->runtime->oidc_flow, calls, *mc->runtime->cache, trust,
                          ctx->credential.token);
        return drive(r, ctx, lc, ctx->oidc->start(now));
    }
    OidcFlow& flow = *ctx->oidc;
    switch (ctx->oidc_wait) {
        case Wait::Nothing:
            return NGX_ERROR;  // answered already: the access handler never comes back here
        case Wait::Leader:
        case Wait::Redis: {
            if (!ctx->awaited->arrived) {
                return NGX_AGAIN;
            }
            TokenOutcome arrived = std::move(ctx->awaited->value);
            if (ctx->oidc_wait == Wait::Leader) {
                return drive(r, ctx, lc, flow.leader_landed(arrived, now));
            }
            std::optional<CachedToken> token;
            if (arrived.kind == TokenOutcome::Kind::Valid) {
                token = std::move(arrived.token);
            }
            return drive(r, ctx, lc, flow.redis_answered(std::move(token), now));
        }
        case Wait::IdentityProvider: {
            if (!ctx->introspection.done || !ctx->userinfo.done) {
                return NGX_AGAIN;
            }
            Step step =
                flow.identity_provider_answered(ctx->introspection.status, ctx->introspection.body,
                                                ctx->userinfo.status, ctx->userinfo.body, now);
            record_idp_call(ctx);
            return drive(r, ctx, lc, step);
        }
        case Wait::Provisioning:
            if (!ctx->provision.done) {
                return NGX_AGAIN;
            }
            if (ctx->provision.status != NGX_HTTP_OK &&
                ctx->provision.status != NGX_HTTP_FORBIDDEN) {
                worker_refused_edge(r, ctx->provision);  // logs the fix when that is the cause
            }
            return drive(r, ctx, lc,
                         flow.provisioned(ctx->provision.status, ctx->provision.body, now));
    }
    return NGX_ERROR;
}

void abandon_flight(RequestCtx* ctx) {
    if (ctx->leading && ctx->oidc) {
        ctx->leading = false;
        if (EdgeProcess* p = edge_process()) {
            p->flights.land(ctx->oidc->digest(), TokenOutcome{});
        }
    }
}

}  // namespace twake::edge
