#pragma once

// When the node's first cache level may be believed (docs/reference/edge-worker.md §4): revocations
// reach it through a Redis subscription, so while that subscription is down one could be missed.
// Then an entry is trusted for 10 s after it was stored; and once the subscription is back after an
// outage, entries stored before it came back are treated the same way (what was revoked meanwhile
// is gone from Redis, so looking again finds out). Pure: times are passed in.

#include <algorithm>
#include <cstdint>

namespace twake::edge {

class FirstLevelTrust {
  public:
    static constexpr int64_t kUntrustedTtlMs = 10 * 1000;

    void subscribed(int64_t now_ms) {
        if (ever_live_) {
            trusted_since_ms_ = now_ms;
        }
        live_ = ever_live_ = true;
    }
    void unsubscribed() { live_ = false; }

    bool live() const { return live_; }
    bool trusts(int64_t stored_at_ms, int64_t now_ms) const {
        if (live_ && stored_at_ms >= trusted_since_ms_) {
            return true;
        }
        return now_ms - stored_at_ms <= kUntrustedTtlMs;
    }
    // The first-level TTL for an entry stored now.
    int64_t cap_ttl(int64_t ttl_ms) const {
        return live_ ? ttl_ms : std::min(ttl_ms, kUntrustedTtlMs);
    }

  private:
    bool live_ = false;
    bool ever_live_ = false;
    int64_t trusted_since_ms_ = 0;
};

}  // namespace twake::edge
