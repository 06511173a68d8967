#pragma once

// GET /metrics: Prometheus text format; `name[]=<family>` (repeatable) restricts the output.

#include "worker/http/router.hpp"
#include "worker/metrics/metrics.hpp"

namespace twake::webadmin {

void add_metrics_routes(http::Router& router, const metrics::Metrics& metrics);

}  // namespace twake::webadmin
