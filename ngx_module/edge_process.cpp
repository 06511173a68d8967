#include "ngx_module/edge_process.hpp"

#include <exception>

#include "ngx_module/module_state.hpp"

namespace twake::edge {

namespace {

EdgeProcess* g_process = nullptr;

}  // namespace

EdgeProcess* edge_process() {
    return g_process;
}

metrics::EdgeMetrics* edge_metrics() {
    return g_process != nullptr ? g_process->metrics : nullptr;
}

ngx_int_t init_edge_process(ngx_cycle_t* cycle) {
    auto* mc = static_cast<MainConf*>(
        ngx_http_cycle_get_module_main_conf(cycle, ngx_http_twake_calendar_module));
    if (mc == nullptr || mc->runtime == nullptr) {
        return NGX_OK;  // no http{} block
    }
    try {
        auto process = std::make_unique<EdgeProcess>();
        Runtime* rt = mc->runtime;
        if (mc->metrics_zone != nullptr) {
            process->metrics = static_cast<metrics::EdgeMetrics*>(mc->metrics_zone->data);
        }
        metrics::EdgeMetrics* m = process->metrics;
        if (rt->redis) {
            process->redis = std::make_unique<RedisLink>(
                *rt->redis, cycle->log, m != nullptr ? &m->redis_connection_failures : nullptr);
            process->tokens =
                std::make_unique<RedisTokenStore>(*process->redis, mc->redis_timeout, m);
            process->revocations =
                std::make_unique<RevocationFeed>(*rt->redis, cycle->log, *rt->cache, m);
            process->redis->start();
            process->revocations->start();
        }
        g_process = process.release();
        return NGX_OK;
    } catch (const std::exception& e) {
        ngx_log_error(NGX_LOG_EMERG, cycle->log, 0, "twake_calendar: %s", e.what());
        return NGX_ERROR;
    }
}

void exit_edge_process(ngx_cycle_t*) {
    // Pending Redis callbacks are answered "no reply" as the links close; with g_process
    // already null they touch no request.
    std::unique_ptr<EdgeProcess> process(g_process);
    g_process = nullptr;
}

}  // namespace twake::edge
