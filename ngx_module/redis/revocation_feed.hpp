#pragma once

// The back-channel logout fan-out (docs/reference/edge-worker.md §4): a subscription to
// `tcal_oidc_revoked` in every nginx worker process, evicting the revoked session's tokens from the
// node's first level. While the subscription is down a revocation could be missed, so the first
// level is trusted for 10 s only: for entries stored while it was down, and, once it is back, for
// entries stored before it came back.

#include <cstdint>
#include <memory>
#include <string_view>

#include "ngx_module/core/first_level_trust.hpp"
#include "ngx_module/redis/redis_link.hpp"
#include "ngx_module/token_cache.hpp"

namespace twake::edge {

class RevocationFeed {
  public:
    RevocationFeed(RedisTarget target, ngx_log_t* log, TokenCache& cache,
                   metrics::EdgeMetrics* metrics);
    void start() { link_->start(); }

    // Whether first-level entries may be used, and for how long new ones may be kept.
    const FirstLevelTrust& trust() const { return trust_; }

  private:
    std::unique_ptr<RedisLink> link_;
    ngx_log_t* log_;
    TokenCache& cache_;
    metrics::EdgeMetrics* metrics_;  // may be null
    FirstLevelTrust trust_;

    void on_up();
    void on_down();
    void on_message(std::string_view payload);
};

}  // namespace twake::edge
