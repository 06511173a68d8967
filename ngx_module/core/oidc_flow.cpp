#include "ngx_module/core/oidc_flow.hpp"

#include <algorithm>
#include <utility>

#include "shared/contract/edge_worker.hpp"

namespace twake::edge {

OidcFlow::OidcFlow(const OidcFlowSettings& settings, OidcCalls calls, TokenCache& cache,
                   const FirstLevelTrust* trust, std::string_view token)
    : settings_(settings),
      calls_(calls),
      cache_(cache),
      trust_(trust),
      token_(token),
      digest_(crypto::sha256_digest(token)) {}

const std::string& OidcFlow::redis_digest() {
    if (redis_digest_.empty()) {
        redis_digest_ = crypto::sha512(token_);
    }
    return redis_digest_;
}

// Checked on every use of a cached token, whichever level it comes from (docs/reference/auth.md
// §2.3).
bool OidcFlow::usable(int64_t exp, std::string_view audiences, int64_t now_ms) const {
    return now_ms < (exp + 1) * 1000 && joined_audience_accepted(audiences, settings_.oidc);
}

OidcFlow::Step OidcFlow::start(int64_t now_ms) {
    if (settings_.first_level) {
        if (auto hit = cache_.find_token(digest(), now_ms)) {
            // Not when a revocation could have been missed (the feed was down meanwhile).
            if (usable(hit->exp, hit->audiences, now_ms) &&
                (trust_ == nullptr || trust_->trusts(hit->stored_at_ms, now_ms))) {
                hit_ = *hit;
                from_first_level_ = true;
                return Step::Answer;
            }
        }
    }
    if (cache_.refused(digest(), now_ms)) {
        return answer(TokenOutcome::Kind::Refused, "Token is not active");
    }
    return Step::JoinFlight;
}

OidcFlow::Step OidcFlow::joined(bool leading, bool redis_usable) {
    leading_ = leading;
    if (!leading) {
        return Step::AwaitLeader;
    }
    if (redis_usable) {
        return Step::ReadRedis;
    }
    if (!calls_.identity_provider) {
        return answer(TokenOutcome::Kind::Unavailable, "Identity provider not configured");
    }
    return Step::CallIdentityProvider;
}

OidcFlow::Step OidcFlow::leader_landed(const TokenOutcome& outcome, int64_t now_ms) {
    if (outcome.kind == TokenOutcome::Kind::Retry) {
        return start(now_ms);  // the leader went away before knowing: look again
    }
    outcome_ = outcome;
    return Step::Answer;
}

OidcFlow::Step OidcFlow::redis_answered(std::optional<CachedToken> token, int64_t now_ms) {
    if (token && usable(token->exp, token->audiences, now_ms)) {
        store_first_level(*token, now_ms);
        return valid(std::move(*token), CacheLevel::Redis);
    }
    // A miss, an error, a timeout or an entry no longer usable: the identity provider decides.
    if (!calls_.identity_provider) {
        return answer(TokenOutcome::Kind::Unavailable, "Identity provider not configured");
    }
    return Step::CallIdentityProvider;
}

OidcFlow::Step OidcFlow::identity_provider_answered(int introspection_status,
                                                    std::string_view introspection_body,
                                                    int userinfo_status,
                                                    std::string_view userinfo_body,
                                                    int64_t now_ms) {
    resolution_ = resolve_token(introspection_status, introspection_body, userinfo_status,
                                userinfo_body, settings_.oidc, now_ms / 1000);
    switch (resolution_.verdict) {
        case TokenVerdict::Unavailable:  // an outage caches nothing
            return answer(TokenOutcome::Kind::Unavailable, resolution_.reason);
        case TokenVerdict::Refused:
            cache_.store_refusal(digest(), settings_.negative_ttl_ms, now_ms);
            return answer(TokenOutcome::Kind::Refused, resolution_.reason);
        case TokenVerdict::Valid:
            break;
    }
    if (calls_.provisioning) {
        // esn-sabre impersonates only users present in MongoDB (docs/reference/auth.md §2.4): the
        // worker creates the user before the token is cached or forwarded.
        return Step::Provision;
    }
    return provisioned(200, {}, now_ms);
}

OidcFlow::Step OidcFlow::provisioned(int status, std::string_view body, int64_t now_ms) {
    if (status == 403) {
        return answer(TokenOutcome::Kind::Forbidden,
                      contract::rest_error_details(body, "Unknown domain"));
    }
    if (status != 200) {
        return answer(TokenOutcome::Kind::Unavailable, "User provisioning unavailable");
    }
    const TokenInfo& info = resolution_.info;
    CachedToken token{info.email, info.sid.value_or(""), info.exp, join_audiences(info.audiences)};
    store_first_level(token, now_ms);
    int64_t ttl_ms = std::min(settings_.cache_ttl_ms, info.exp * 1000 - now_ms);
    redis_ttl_s_ = ttl_ms / 1000;
    return valid(std::move(token), CacheLevel::Idp);
}

void OidcFlow::store_first_level(const CachedToken& token, int64_t now_ms) {
    if (!settings_.first_level) {
        return;
    }
    int64_t ttl =
        trust_ != nullptr ? trust_->cap_ttl(settings_.cache_ttl_ms) : settings_.cache_ttl_ms;
    cache_.store_token(digest(), redis_digest(), token, ttl, now_ms);
}

OidcFlow::Step OidcFlow::answer(TokenOutcome::Kind kind, std::string details) {
    outcome_ = TokenOutcome{};
    outcome_.kind = kind;
    outcome_.details = std::move(details);
    return Step::Answer;
}

OidcFlow::Step OidcFlow::valid(CachedToken token, CacheLevel level) {
    outcome_ = TokenOutcome{};
    outcome_.kind = TokenOutcome::Kind::Valid;
    outcome_.token = std::move(token);
    outcome_.level = level;
    return Step::Answer;
}

}  // namespace twake::edge
