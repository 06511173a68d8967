#pragma once

// What a back-channel logout does to the node's first level, whichever way it arrives (the
// Redis channel, or the worker calling the revocation endpoint when there is no Redis).

#include <cstddef>

#include "ngx_module/core/redis_token_record.hpp"
#include "ngx_module/metrics/edge_metrics.hpp"
#include "ngx_module/token_cache.hpp"

namespace twake::edge {

// Evicts the session's entries (by sid) and the tokens named by their Redis keys, and counts
// the revocation; returns how many entries went by sid. `metrics` may be null.
size_t evict_session(TokenCache& cache, const Revocation& revocation,
                     metrics::EdgeMetrics* metrics);

}  // namespace twake::edge
