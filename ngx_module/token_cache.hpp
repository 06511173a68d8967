#pragma once

// The first cache level: the node's shared-memory zone, shared by every nginx worker process
// (docs/reference/edge-worker.md §4.1). Keys are digests, never tokens or passwords.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ngx_module/core/oidc_token.hpp"

namespace twake::edge {

struct CachedToken {
    std::string email;
    std::string sid;
    int64_t exp = 0;
    std::string audiences;     // joined with ';', as Redis and the shared memory keep them
    int64_t stored_at_ms = 0;  // when the first level took it (0: not from the first level)
};

// A first-level hit, read without allocating (this is every request's path): the views point
// into the cache's own copy of the entry and are valid until the cache's next call.
struct TokenView {
    std::string_view email;
    std::string_view sid;
    int64_t exp = 0;
    std::string_view audiences;  // joined with ';'
    int64_t stored_at_ms = 0;
};

class TokenCache {
  public:
    virtual ~TokenCache() = default;

    // An OIDC token by the SHA-256 of its text (the cheapest collision-resistant digest with
    // the CPU's SHA instructions: it is computed on every request): a valid one, or a recent
    // refusal.
    virtual std::optional<TokenView> find_token(std::string_view digest, int64_t now_ms) = 0;
    virtual bool refused(std::string_view digest, int64_t now_ms) = 0;
    // Kept until min(ttl, the token's exp). `redis_digest` (the SHA-512 that names it in Redis)
    // lets a revocation by Redis key find it.
    virtual void store_token(std::string_view digest, std::string_view redis_digest,
                             const CachedToken& token, int64_t ttl_ms, int64_t now_ms) = 0;
    virtual void store_refusal(std::string_view digest, int64_t ttl_ms, int64_t now_ms) = 0;

    // Basic credentials checked by LDAP, by an HMAC of login and password.
    virtual std::optional<std::string> find_basic(const std::string& hmac, int64_t now_ms) = 0;
    virtual void store_basic(const std::string& hmac, const std::string& username, int64_t ttl_ms,
                             int64_t now_ms) = 0;

    // Secret-link lookups (docs/reference/edge-worker.md §2.4: ≤ 5 s), by the SHA-256 of (home,
    // calendar, token): the owner and the export path. The views are valid until the cache's next
    // call.
    struct LinkView {
        std::string_view owner;
        std::string_view export_path;
    };
    virtual std::optional<LinkView> find_link(std::string_view key, int64_t now_ms) = 0;
    virtual void store_link(std::string_view key, std::string_view owner,
                            std::string_view export_path, int64_t ttl_ms, int64_t now_ms) = 0;

    // Registered domains (legacy JWT subjects).
    virtual bool domain_known(const std::string& domain, int64_t now_ms) = 0;
    virtual void store_domain(const std::string& domain, int64_t ttl_ms, int64_t now_ms) = 0;

    // Back-channel logout: every token of a session, and tokens by Redis key (SHA-512).
    virtual size_t evict_sid(const std::string& sid) = 0;
    virtual void evict_token(const std::string& redis_digest) = 0;
};

}  // namespace twake::edge
