#pragma once

// The worker's metric registry, exported in Prometheus text format on webadmin `/metrics`.
// Upstream's metric names are kept as they are (webadmin.md §12).

#include <prometheus/registry.h>
#include <prometheus/summary.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "worker/metrics/process_metrics.hpp"

namespace twake::metrics {

class Metrics {
  public:
    Metrics();

    // Duration of every webadmin request (upstream summary `webAdmin`, in seconds).
    void observe_webadmin(std::chrono::nanoseconds duration);

    // Text exposition format 0.0.4; `names` restricts the output to those families.
    std::string scrape(const std::vector<std::string>& names = {}) const;

    prometheus::Registry& registry() { return *registry_; }

  private:
    std::shared_ptr<prometheus::Registry> registry_;
    std::shared_ptr<ProcessMetrics> process_;
    prometheus::Summary* webadmin_;
};

}  // namespace twake::metrics
