#pragma once

// How the access phase ends a request (access_answer.cpp), shared by the flows of every
// credential kind: each function returns what the access handler returns to nginx, and counts
// the outcome in the metrics.

#include <string_view>

#include "ngx_module/metrics/edge_metrics.hpp"
#include "ngx_module/module_state.hpp"

namespace twake::edge {

// The caller's identity is known: the request goes on (NGX_OK).
ngx_int_t succeed(ngx_http_request_t* r, RequestCtx* ctx, AuthMethod method, std::string_view email,
                  CacheLevel level, std::string_view sid = {});
// 401 with the challenge (json_error.hpp), logged at info.
ngx_int_t refuse(ngx_http_request_t* r, std::string_view details);
// 503: a dependency failed, logged at warn.
ngx_int_t unavailable(ngx_http_request_t* r, std::string_view details);
// Any other JSON error (400, 403).
ngx_int_t answer_error(ngx_http_request_t* r, ngx_uint_t status, std::string_view type,
                       std::string_view message, std::string_view details);

// Whether the worker refused the edge itself (its API on TCP without our secret): an outage
// to fix in the configuration, not the caller's fault; logged with the fix.
bool worker_refused_edge(ngx_http_request_t* r, const SubAnswer& answer);

}  // namespace twake::edge
