#pragma once

// `twake_calendar_revocation;` in a location: the worker's way to evict a revoked session from
// this node's first level when there is no Redis channel to publish on
// (docs/reference/edge-worker.md §4.4). The worker POSTs the channel's JSON, {"sid":"…"}
// (optionally "keys"), with `Authorization: Bearer <twake_calendar_edge_secret>`; one call per
// node is enough, since the zone is shared by every nginx worker process of the node.

#include "ngx_module/ngx.hpp"

namespace twake::edge {

// The directive: makes its location serve the endpoint.
char* set_revocation_handler(ngx_conf_t* cf, ngx_command_t* cmd, void* conf);

}  // namespace twake::edge
