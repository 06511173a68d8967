#pragma once

// The OIDC bearer-token flow of one request (docs/reference/auth.md §2, docs/reference/edge-worker.md §4), as pure logic: each
// call says what is now known and returns what to do next; the nginx glue (oidc_access.cpp)
// does it — join the token's flight, read Redis, ask the identity provider, provision the user
// — and reports back. The first cache level is read and written here, through the TokenCache
// interface; everything else that talks to the outside is the glue's.
//
//   start ─ first-level hit ────────────────────────────────────────────▶ Answer (hit())
//         ├ recent refusal ──────────────────────────────────────────────▶ Answer (401)
//         └ JoinFlight ─ follower ─ AwaitLeader ─ leader_landed ─────────▶ Answer (or start again)
//                      └ leader ─ ReadRedis ─ usable entry ──────────────▶ Answer (stored first
//                      level)
//                               └─────────── CallIdentityProvider ─ refused/outage ▶ Answer
//                                                                 └ Provision ─────▶ Answer
//
// A request that leads its token's flight must hand every Answer to the followers (leading()).
// The hit path allocates nothing: hit() views the cache's own copy.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ngx_module/core/first_level_trust.hpp"
#include "ngx_module/core/oidc_token.hpp"
#include "ngx_module/core/token_outcome.hpp"
#include "ngx_module/token_cache.hpp"
#include "shared/crypto/digest.hpp"

namespace twake::edge {

// The node's settings, made once from the configuration.
struct OidcFlowSettings {
    OidcSettings oidc;
    int64_t cache_ttl_ms = 5 * 60 * 1000;  // twake_calendar_cache_ttl
    int64_t negative_ttl_ms = 30 * 1000;   // twake_calendar_negative_ttl
    bool first_level = true;               // twake_calendar_shm_cache
};

// What the request's location offers.
struct OidcCalls {
    bool identity_provider = true;  // introspection and userinfo locations configured
    bool provisioning = true;       // a provisioning location configured
};

class OidcFlow {
  public:
    enum class Step {
        Answer,                // final: hit() after a first-level hit, else outcome()
        JoinFlight,            // join the token's flight, then joined()
        AwaitLeader,           // wait for the leader's outcome, then leader_landed()
        ReadRedis,             // look redis_digest() up in Redis, then redis_answered()
        CallIdentityProvider,  // introspection and userinfo, then identity_provider_answered()
        Provision,             // create resolution().info's user, then provisioned()
    };

    // `trust`: the revocation feed's view of the first level, or nullptr without a feed. The
    // token must outlive the flow (it is a view into the request's header).
    OidcFlow(const OidcFlowSettings& settings, OidcCalls calls, TokenCache& cache,
             const FirstLevelTrust* trust, std::string_view token);

    Step start(int64_t now_ms);
    // `redis_usable`: a Redis is configured and its link is up.
    Step joined(bool leading, bool redis_usable);
    Step leader_landed(const TokenOutcome& outcome, int64_t now_ms);
    Step redis_answered(std::optional<CachedToken> token, int64_t now_ms);
    // Statuses are 0 when there was no answer (connection failed, timed out).
    Step identity_provider_answered(int introspection_status, std::string_view introspection_body,
                                    int userinfo_status, std::string_view userinfo_body,
                                    int64_t now_ms);
    // The worker's answer: 200 provisioned, 403 with its JSON refusal, anything else an outage.
    Step provisioned(int status, std::string_view body, int64_t now_ms);

    // After an Answer from the first level: valid until the cache's next call.
    const TokenView& hit() const { return hit_; }
    bool answered_from_first_level() const { return from_first_level_; }
    // After any other Answer.
    const TokenOutcome& outcome() const { return outcome_; }
    // Whether this request leads its token's flight: its Answer is the followers' too.
    bool leading() const { return leading_; }
    // The identity provider's verdict, once it answered (metrics, provisioning names).
    const TokenResolution& resolution() const { return resolution_; }
    // After a valid identity-provider answer: what to write to Redis, for how long (seconds).
    std::optional<int64_t> redis_ttl_seconds() const { return redis_ttl_s_; }

    std::string_view digest() const { return crypto::view(digest_); }  // SHA-256: first level
    const std::string& redis_digest();                              // SHA-512: Redis

  private:
    const OidcFlowSettings& settings_;
    OidcCalls calls_;
    TokenCache& cache_;
    const FirstLevelTrust* trust_;
    std::string_view token_;
    crypto::Sha256Digest digest_;
    std::string redis_digest_;  // computed on a first-level miss only
    bool leading_ = false;
    bool from_first_level_ = false;
    TokenView hit_;
    TokenOutcome outcome_;
    TokenResolution resolution_;
    std::optional<int64_t> redis_ttl_s_;

    bool usable(int64_t exp, std::string_view audiences, int64_t now_ms) const;
    void store_first_level(const CachedToken& token, int64_t now_ms);
    Step answer(TokenOutcome::Kind kind, std::string details);
    Step valid(CachedToken token, CacheLevel level);
};

}  // namespace twake::edge
