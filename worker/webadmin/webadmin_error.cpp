#include "worker/webadmin/webadmin_error.hpp"

#include "shared/json/json.hpp"

namespace twake::webadmin {

http::Response error_response(unsigned status, std::string_view type, std::string_view message,
                              std::optional<std::string> details) {
    json::Json body = json::Json::object();
    body.set("statusCode", static_cast<double>(status));
    body.set("type", type);
    body.set("message", message);
    if (details) {
        body.set("details", *details);
    } else {
        body.set_null("details");
    }
    return http::make_response(static_cast<http::beast_http::status>(status), http::kJson,
                               body.dump());
}

}  // namespace twake::webadmin
