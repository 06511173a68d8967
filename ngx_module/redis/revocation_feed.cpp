#include "ngx_module/redis/revocation_feed.hpp"

#include <string>

#include "ngx_module/cache/session_eviction.hpp"
#include "ngx_module/core/redis_token_record.hpp"

namespace twake::edge {

using ngx::now_ms;

RevocationFeed::RevocationFeed(RedisTarget target, ngx_log_t* log, TokenCache& cache,
                               metrics::EdgeMetrics* metrics)
    : log_(log), cache_(cache), metrics_(metrics) {
    link_ = std::make_unique<RedisLink>(
        std::move(target), log, metrics != nullptr ? &metrics->redis_connection_failures : nullptr,
        [this] { on_up(); }, [this] { on_down(); });
}

void RevocationFeed::on_up() {
    link_->subscribe(std::string(kRevocationChannel),
                     [this](std::string_view payload) { on_message(payload); });
    trust_.subscribed(now_ms());
}

void RevocationFeed::on_down() {
    trust_.unsubscribed();
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
    size_t evicted = evict_session(cache_, *revocation, metrics_);
    ngx_log_error(NGX_LOG_INFO, log_, 0,
                  "twake_calendar: session revoked (sid \"%s\"): %uz cached entries evicted, "
                  "%uz token keys",
                  revocation->sid.c_str(), evicted, revocation->digests.size());
}

}  // namespace twake::edge
