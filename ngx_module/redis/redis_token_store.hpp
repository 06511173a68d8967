#pragma once

// The second cache level: tokens in Redis, in upstream's layout
// (docs/reference/edge-worker.md §4.2), shared by every edge node and by a running upstream. Redis
// is never required: an error or a link that is down is a miss, and a failed write is only logged.

#include <functional>
#include <optional>
#include <string>

#include "ngx_module/redis/redis_link.hpp"
#include "ngx_module/token_cache.hpp"

namespace twake::edge {

class RedisTokenStore {
  public:
    RedisTokenStore(RedisLink& link, ngx_msec_t timeout, metrics::EdgeMetrics* metrics)
        : link_(link), timeout_(timeout), metrics_(metrics) {}

    // Whether asking is worth it now (a link that is down would only answer "no").
    bool usable() const { return link_.up(); }

    // HGETALL of the token's key. `done` runs once, on the event loop: the token, or nullopt
    // for a miss; `failed` tells a Redis error or timeout from a plain miss.
    using Found = std::function<void(std::optional<CachedToken> token, bool failed)>;
    void find(const std::string& digest, Found done);

    // The token and its session index, in one MULTI/EXEC, fire and forget.
    void save(const std::string& digest, const CachedToken& token, int64_t ttl_seconds);

  private:
    RedisLink& link_;
    ngx_msec_t timeout_;
    metrics::EdgeMetrics* metrics_;  // may be null
};

}  // namespace twake::edge
