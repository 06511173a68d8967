#include "ngx_module/redis/revocation_feed.hpp"

#include <algorithm>
#include <chrono>
#include <string>

#include "ngx_module/core/redis_token_record.hpp"

namespace twake::edge {

namespace {

int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

RevocationFeed::RevocationFeed(RedisTarget target, ngx_log_t* log, TokenCache& cache,
                               metrics::EdgeMetrics* metrics)
    : log_(log), cache_(cache), metrics_(metrics) {
    link_ = std::make_unique<RedisLink>(
        std::move(target), log, metrics != nullptr ? &metrics->redis_connection_failures : nullptr,
        [this] { on_up(); }, [this] { on_down(); });
}

bool RevocationFeed::trusts(int64_t stored_at_ms, int64_t now) const {
    if (live_ && stored_at_ms >= trusted_since_ms_) {
        return true;
    }
    return now - stored_at_ms <= kUntrustedTtlMs;
}

int64_t RevocationFeed::cap_ttl(int64_t ttl_ms) const {
    return live_ ? ttl_ms : std::min(ttl_ms, kUntrustedTtlMs);
}

void RevocationFeed::on_up() {
    link_->subscribe(std::string(kRevocationChannel),
                     [this](std::string_view payload) { on_message(payload); });
    live_ = true;
    if (ever_live_) {
        // Revocations published while we were away are lost: what was stored before now must
        // be confirmed again (from Redis, which the revocation did clean) after 10 s.
        trusted_since_ms_ = now_ms();
    }
    ever_live_ = true;
}

void RevocationFeed::on_down() {
    live_ = false;
}

void RevocationFeed::on_message(std::string_view payload) {
    auto revocation = parse_revocation(payload);
    if (!revocation) {
        ngx_log_error(NGX_LOG_WARN, log_, 0,
                      "twake_calendar: ignored a malformed message on %s: not the JSON "
                      "{\"sid\",\"keys\"}",
                      kRevocationChannel.data());
        return;
    }
    size_t evicted = revocation->sid.empty() ? 0 : cache_.evict_sid(revocation->sid);
    for (const auto& digest : revocation->digests) {
        cache_.evict_token(digest);
    }
    if (metrics_ != nullptr) {
        metrics::EdgeMetrics::add(metrics_->revocations);
        metrics::EdgeMetrics::add(metrics_->revoked_entries, evicted);
    }
    ngx_log_error(NGX_LOG_INFO, log_, 0,
                  "twake_calendar: session revoked (sid \"%s\"): %uz cached entries evicted, "
                  "%uz token keys",
                  revocation->sid.c_str(), evicted, revocation->digests.size());
}

}  // namespace twake::edge
