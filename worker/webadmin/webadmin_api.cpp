#include "worker/webadmin/webadmin_api.hpp"

#include <boost/asio/ip/tcp.hpp>

#include "shared/log/log.hpp"
#include "worker/webadmin/routes.hpp"
#include "worker/webadmin/webadmin_error.hpp"

namespace twake::webadmin {

namespace {

const log::Logger kLog("worker.webadmin");

http::Response internal_error(std::exception_ptr error) {
    std::string what = "unknown error";
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        what = e.what();
    } catch (...) {
    }
    kLog.error("WebAdmin encountered an unexpected internal error", {{"error", what}});
    return error_response(500, error_type::kServerError,
                          "WebAdmin encountered an unexpected internal error");
}

}  // namespace

WebadminApi::WebadminApi(boost::asio::io_context& io, WebadminContext& ctx)
    : server_(io, router_, internal_error, http::ServerOptions{"webadmin"}) {
    add_healthcheck_routes(router_, ctx);
    add_metrics_routes(router_, ctx);
    add_task_routes(router_, ctx);
    add_registered_user_routes(router_, ctx);
    add_domain_routes(router_, ctx);
    add_credential_user_routes(router_, ctx);
    add_revocation_routes(router_, ctx);
    router_.set_fallback([](http::RouteContext& ctx) -> http::Awaitable<http::Response> {
        std::string method(ctx.request.method_string());
        std::string uri(ctx.request.target());
        co_return error_response(404, error_type::kNotFound,
                                 method + " " + uri + " can not be found");
    });
    router_.set_bad_target([](http::RouteContext&) -> http::Awaitable<http::Response> {
        co_return error_response(400, error_type::kInvalidArgument,
                                 "Invalid arguments supplied in the user request",
                                 "malformed percent-encoding in the request target");
    });
    server_.set_observer([metrics = &ctx.metrics](const http::Request&, const http::Response&,
                                                  const http::RouteMatch&,
                                                  std::chrono::nanoseconds duration) {
        metrics->observe_webadmin(duration);
    });
}

void WebadminApi::listen(const config::WebadminConfig& config) {
    namespace ip = boost::asio::ip;
    std::string host = config.host == "localhost" ? "127.0.0.1" : config.host;
    boost::system::error_code ec;
    ip::address address = ip::make_address(host, ec);
    if (ec) {
        throw config::ConfigError("webadmin.properties: 'host' = '" + config.host +
                                  "': expected an IP address or localhost");
    }
    server_.listen(ip::tcp::endpoint(address, static_cast<unsigned short>(config.port)));
}

}  // namespace twake::webadmin
