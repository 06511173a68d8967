#pragma once

// GET /healthcheck, /healthcheck/checks, /healthcheck/checks/{name} (webadmin.md §1).

#include "worker/health/health_registry.hpp"
#include "worker/http/router.hpp"

namespace twake::webadmin {

void add_healthcheck_routes(http::Router& router, health::HealthRegistry& registry);

}  // namespace twake::webadmin
