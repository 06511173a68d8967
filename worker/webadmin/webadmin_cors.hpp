#pragma once

// CORS of the webadmin listener (docs/webadmin.md §3.2), only when `cors.enable=true` (upstream
// adds the headers whatever the setting says).

#include <string_view>

#include "worker/http/message.hpp"

namespace twake::webadmin {

// Headers every response carries: Access-Control-Allow-Origin (`cors.origin`), upstream's
// Access-Control-Request-Method list, and Access-Control-Allow-Headers unless the response
// already set it (a preflight's answer).
void add_cors_headers(std::string_view origin, http::Response& response);

// The answer to an OPTIONS request (never authenticated): 200, empty body, allowing the
// method and headers the browser asks for, as upstream does (the origin is what restricts).
http::Response cors_preflight(const http::Request& request);

}  // namespace twake::webadmin
