#pragma once

// Cross-origin requests from the web apps (docs/reference/rest-api.md §1.3): which origins may
// call, what a preflight is, and which browser signals tell a script from a native client. Pure:
// the nginx glue hands the header values in.

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace twake::edge {

enum class CorsPolicy {
    Off,   // no CORS header, preflights go through like any request
    Any,   // every origin, never with credentials ("*")
    List,  // the listed origins, echoed, with credentials
};

struct CorsAnswer {
    std::string_view allow_origin;  // "*" or the request's Origin
    bool credentials = false;       // Access-Control-Allow-Credentials: true
    bool vary = false;              // Vary: Origin (the answer depends on it)
};

// What to answer a request from `origin` (empty: the request has no Origin): nothing when it
// is not a cross-origin request or its origin is not allowed.
std::optional<CorsAnswer> cors_answer(CorsPolicy policy, std::span<const std::string_view> allowed,
                                      std::string_view origin);

// A CORS preflight: OPTIONS with Origin and Access-Control-Request-Method. A plain OPTIONS
// (a CalDAV client asking for the server's capabilities) is not one.
bool is_preflight(std::string_view method, std::string_view origin,
                  std::string_view request_method);

// Whether a directive value is an origin as browsers send it: scheme://host[:port], nothing
// after (no path, no trailing slash), or "*".
bool valid_origin_pattern(std::string_view value);

// Whether a request comes from a script in a browser (docs/reference/edge-worker.md §5): it then
// never gets a Basic challenge, which would open a login dialog over the web app.
bool from_browser_script(std::string_view x_requested_with, std::string_view sec_fetch_mode,
                         std::string_view origin);

}  // namespace twake::edge
