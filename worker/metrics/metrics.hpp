#pragma once

// The worker's metric registry, exported in Prometheus text format on webadmin `/metrics`.
// Upstream's metric names are kept as they are (docs/operate.md §3.2).

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/summary.h>

#include <map>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "worker/http/router.hpp"
#include "worker/metrics/process_metrics.hpp"

namespace twake::metrics {

class Metrics {
  public:
    Metrics();

    // Duration of every webadmin request (upstream summary `webAdmin`, in seconds).
    void observe_webadmin(std::chrono::nanoseconds duration);

    // One answered HTTP request: the labelled histogram
    // `twake_http_server_request_duration_seconds{listener,route,status}` and, when the route
    // has one, upstream's per-handler summary (e.g. `UserRoute`). Event-loop thread only.
    void observe_http(const std::string& listener, const http::RouteMatch& route, unsigned status,
                      std::chrono::nanoseconds duration);

    // A webadmin task that ended: the counter `twake_webadmin_tasks_total{type,status}`
    // (status: completed, failed, canceled). Event-loop thread only.
    void count_task(const std::string& type, std::string_view status);

    // Text exposition format 0.0.4; `names` restricts the output to those families.
    std::string scrape(const std::vector<std::string>& names = {}) const;

    prometheus::Registry& registry() { return *registry_; }

  private:
    std::shared_ptr<prometheus::Registry> registry_;
    std::shared_ptr<ProcessMetrics> process_;
    prometheus::Summary* webadmin_;
    prometheus::Family<prometheus::Histogram>* http_requests_;
    std::map<std::string, prometheus::Summary*> route_summaries_;
    prometheus::Family<prometheus::Counter>* tasks_;
};

}  // namespace twake::metrics
