#include "worker/webadmin/webadmin_cors.hpp"

namespace twake::webadmin {

namespace {

namespace bh = http::beast_http;

// `Password` is the header the webadmin secret usually travels in.
constexpr std::string_view kAllowedHeaders = "Content-Type, Authorization, Accept, Password";
constexpr std::string_view kMethods = "DELETE, GET, HEAD, POST, PUT";

}  // namespace

void add_cors_headers(std::string_view origin, http::Response& response) {
    response.set(bh::field::access_control_allow_origin, origin);
    // Upstream's (misnamed) response header, kept for clients that read it.
    response.set(bh::field::access_control_request_method, "DELETE, GET, POST, PUT");
    if (response.find(bh::field::access_control_allow_headers) == response.end()) {
        response.set(bh::field::access_control_allow_headers, kAllowedHeaders);
    }
}

http::Response cors_preflight(const http::Request& request) {
    http::Response response = http::make_response(bh::status::ok, http::kJson, "");
    auto headers = request.find(bh::field::access_control_request_headers);
    response.set(bh::field::access_control_allow_headers,
                 headers != request.end() ? headers->value() : kAllowedHeaders);
    auto method = request.find(bh::field::access_control_request_method);
    response.set(bh::field::access_control_allow_methods,
                 method != request.end() ? method->value() : kMethods);
    return response;
}

}  // namespace twake::webadmin
