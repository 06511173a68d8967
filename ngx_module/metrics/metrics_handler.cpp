// `twake_calendar_metrics;` in a location: the node's metrics in Prometheus text format.
// Restrict that location (allow/deny, a listener on an internal address): the numbers say
// how many users authenticate and how.

#include <exception>

#include "ngx_module/cache/shm_token_cache.hpp"
#include "ngx_module/json_error.hpp"
#include "ngx_module/metrics/metrics_handler.hpp"
#include "ngx_module/module_state.hpp"

namespace twake::edge {

namespace {

ngx_int_t serve(ngx_http_request_t* r) {
    if (!(r->method & (NGX_HTTP_GET | NGX_HTTP_HEAD))) {
        return NGX_HTTP_NOT_ALLOWED;
    }
    MainConf* mc = main_conf(r);
    auto* m = mc->metrics_zone != nullptr
                  ? static_cast<metrics::EdgeMetrics*>(mc->metrics_zone->data)
                  : nullptr;
    if (m == nullptr) {
        return send_json_error(r, NGX_HTTP_SERVICE_UNAVAILABLE, "ServiceUnavailable",
                               "Service Unavailable", "Metrics are not available");
    }
    metrics::CacheGauges gauges;
    if (auto* cache = dynamic_cast<ShmTokenCache*>(mc->runtime->cache.get())) {
        cache::Counters c = cache->counters();
        gauges = {cache->slot_count(), cache->entries(), c.hits,        c.misses,
                  c.inserts,           c.evictions,      c.expirations, c.erasures};
    }
    return send_body(r, NGX_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8",
                     metrics::render_prometheus(*m, gauges));
}

ngx_int_t metrics_handler(ngx_http_request_t* r) {
    try {
        return serve(r);
    } catch (const std::exception& e) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0, "twake_calendar: metrics: %s", e.what());
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }
}

}  // namespace

char* set_metrics_handler(ngx_conf_t* cf, ngx_command_t*, void*) {
    auto* clcf = static_cast<ngx_http_core_loc_conf_t*>(
        ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module));
    clcf->handler = metrics_handler;
    return NGX_CONF_OK;
}

ngx_int_t init_metrics_zone(ngx_shm_zone_t* zone, void* data) {
    if (data != nullptr) {
        zone->data = data;  // a reload keeps the counts
        return NGX_OK;
    }
    auto* pool = reinterpret_cast<ngx_slab_pool_t*>(zone->shm.addr);
    if (zone->shm.exists) {
        zone->data = pool->data;
        return NGX_OK;
    }
    void* block = ngx_slab_alloc(pool, sizeof(metrics::EdgeMetrics));
    metrics::EdgeMetrics* m = metrics::EdgeMetrics::attach(block, sizeof(metrics::EdgeMetrics));
    if (m == nullptr) {
        return NGX_ERROR;
    }
    pool->data = m;
    zone->data = m;
    return NGX_OK;
}

}  // namespace twake::edge
