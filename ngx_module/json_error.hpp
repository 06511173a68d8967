#pragma once

// Error answers of the edge (docs/reference/edge-worker.md §5): the REST error body
//   {"error":{"code":401,"type":"Unauthorized","message":"Unauthorized","details":"..."}}

#include <string_view>

#include "ngx_module/ngx.hpp"

namespace twake::edge {

// Sends `body` as the whole response (the request body, if any, is discarded); returns what
// the handler must return. `content_type` must be a literal (it is not copied).
ngx_int_t send_body(ngx_http_request_t* r, ngx_uint_t status, std::string_view content_type,
                    std::string_view body);

// Sends the JSON error as the whole response; returns what the handler must return.
ngx_int_t send_json_error(ngx_http_request_t* r, ngx_uint_t status, std::string_view type,
                          std::string_view message, std::string_view details);

// 401 with `WWW-Authenticate: Bearer realm="twake_calendar"`, and Basic where the location
// offers it to a client that is not a browser script, from the access phase: finalizes the
// request and returns NGX_DONE.
ngx_int_t send_unauthorized(ngx_http_request_t* r, std::string_view details);
// The same answer from a content handler, which returns what this returns.
ngx_int_t send_unauthorized_body(ngx_http_request_t* r, std::string_view details);

}  // namespace twake::edge
