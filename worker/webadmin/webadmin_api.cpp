#include "worker/webadmin/webadmin_api.hpp"

#include <boost/asio/ip/tcp.hpp>

#include "shared/log/log.hpp"
#include "worker/webadmin/route_refusal.hpp"
#include "worker/webadmin/routes.hpp"
#include "worker/webadmin/webadmin_auth.hpp"
#include "worker/webadmin/webadmin_cors.hpp"
#include "worker/webadmin/webadmin_error.hpp"
#include "worker/webadmin/webadmin_log.hpp"

namespace twake::webadmin {

namespace {

const log::Logger kLog("worker.webadmin");

}  // namespace

WebadminApi::WebadminApi(boost::asio::io_context& io, WebadminContext& ctx)
    : server_(io, router_, error_answer, http::ServerOptions{"webadmin"}) {
    add_healthcheck_routes(router_, ctx);
    add_metrics_routes(router_, ctx);
    add_task_routes(router_, ctx);
    add_registered_user_routes(router_, ctx);
    add_domain_routes(router_, ctx);
    add_credential_user_routes(router_, ctx);
    add_revocation_routes(router_, ctx);
    add_calendar_task_routes(router_, ctx);
    add_domain_member_routes(router_, ctx);
    const config::WebadminConfig* web = &ctx.config.webadmin;  // lives in main
    router_.set_fallback([web](http::RouteContext& ctx) -> http::Awaitable<http::Response> {
        if (web->cors && ctx.request.method() == http::beast_http::verb::options) {
            co_return cors_preflight(ctx.request);
        }
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
    server_.set_request_hook(stamp_and_log_request);
    if (web->cors) {
        server_.set_response_hook([web](const http::Request&, http::Response& response) {
            add_cors_headers(web->cors_origin, response);
        });
    }
    server_.set_observer(
        [metrics = &ctx.metrics](const http::Request& request, const http::Response& response,
                                 const http::RouteMatch&, std::chrono::nanoseconds duration) {
            metrics->observe_webadmin(duration);
            log_response(request, response, duration);
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
    if (auto authentication = webadmin_authentication(config)) {
        auto authenticator =
            std::make_shared<const PasswordAuthenticator>(std::move(*authentication));
        router_.set_gate([authenticator](const http::Request& request) {
            return authenticator->check(request);
        });
    }
    server_.listen(ip::tcp::endpoint(address, static_cast<unsigned short>(config.port)));
}

}  // namespace twake::webadmin
