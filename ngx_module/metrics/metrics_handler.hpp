#pragma once

// The Prometheus endpoint of the module and the shared-memory zone its numbers live in.

#include "ngx_module/ngx.hpp"

namespace twake::edge {

// The `twake_calendar_metrics` directive: makes its location serve the metrics.
char* set_metrics_handler(ngx_conf_t* cf, ngx_command_t* cmd, void* conf);
// ngx_shm_zone_t::init of the metrics zone.
ngx_int_t init_metrics_zone(ngx_shm_zone_t* zone, void* data);

}  // namespace twake::edge
