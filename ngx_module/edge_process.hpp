#pragma once

// What each nginx worker process owns on its own: its Redis links (one for commands, one for
// the revocation subscription) and its in-flight token lookups. Made in init_process, gone in
// exit_process; nginx's master process never has one.

#include <memory>
#include <optional>

#include "ngx_module/redis/redis_link.hpp"
#include "ngx_module/redis/redis_token_store.hpp"
#include "ngx_module/redis/revocation_feed.hpp"
#include "ngx_module/metrics/edge_metrics.hpp"
#include "ngx_module/token_flights.hpp"

namespace twake::edge {

struct EdgeProcess {
    std::unique_ptr<RedisLink> redis;
    std::unique_ptr<RedisTokenStore> tokens;  // null without twake_calendar_redis
    std::unique_ptr<RevocationFeed> revocations;
    TokenFlights flights;
    metrics::EdgeMetrics* metrics = nullptr;  // in shared memory, shared by the node
};

// The current worker process's state, or nullptr (master process, or shutting down).
EdgeProcess* edge_process();
// The node's metrics, or nullptr (no process state).
metrics::EdgeMetrics* edge_metrics();

ngx_int_t init_edge_process(ngx_cycle_t* cycle);
void exit_edge_process(ngx_cycle_t* cycle);

}  // namespace twake::edge
