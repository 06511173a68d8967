#include "ngx_module/cache/session_eviction.hpp"

namespace twake::edge {

size_t evict_session(TokenCache& cache, const Revocation& revocation,
                     metrics::EdgeMetrics* metrics) {
    size_t evicted = revocation.sid.empty() ? 0 : cache.evict_sid(revocation.sid);
    for (const auto& digest : revocation.digests) {
        cache.evict_token(digest);
    }
    if (metrics != nullptr) {
        metrics::EdgeMetrics::add(metrics->revocations);
        metrics::EdgeMetrics::add(metrics->revoked_entries, evicted);
    }
    return evicted;
}

}  // namespace twake::edge
