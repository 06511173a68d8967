#include "worker/api/rest_api.hpp"

#include <grp.h>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>

#include "shared/contract/edge_worker.hpp"
#include "shared/log/log.hpp"
#include "worker/api/caller.hpp"
#include "worker/api/rest_error.hpp"
#include "worker/api/routes.hpp"
#include "shared/crypto/digest.hpp"

namespace twake::api {

namespace {

const log::Logger kLog("worker.api");

std::string path_of(const http::Request& request) {
    std::string_view target = request.target();
    return std::string(target.substr(0, target.find('?')));  // queries may hold secrets
}

}  // namespace

RestApi::RestApi(boost::asio::io_context& io, ApiContext& ctx)
    : ctx_(ctx),
      server_(
          io, router_,
          [](std::exception_ptr error) {
              std::string detail;
              http::Response r = response_for(error, &detail);
              if (!detail.empty()) {
                  kLog.error("Request failed", {{"error", detail}});
              }
              return r;
          },
          http::ServerOptions{"api", 1 << 20, std::chrono::seconds(60),
                              [max = ctx.config.upload_max_file_size](std::string_view target) {
                                  return upload_body_limit(target, max);
                              }}) {
    add_internal_routes(router_, ctx_);
    add_user_routes(router_, ctx_);
    add_domain_routes(router_, ctx_);
    add_configuration_routes(router_, ctx_);
    add_domain_settings_routes(router_, ctx_);
    add_asset_routes(router_, ctx_);
    add_token_routes(router_, ctx_);
    add_resource_routes(router_, ctx_);
    add_resource_participation_routes(router_, ctx_);
    add_event_participation_routes(router_, ctx_);
    add_secret_link_routes(router_, ctx_);
    add_ticket_routes(router_, ctx_);
    add_people_search_routes(router_, ctx_);
    add_event_search_routes(router_, ctx_);
    add_import_routes(router_, ctx_);
    router_.set_fallback([](http::RouteContext&) -> http::Awaitable<http::Response> {
        co_return error_response(404, "NotFound", "Not Found", "No route for this path");
    });
    router_.set_bad_target([](http::RouteContext&) -> http::Awaitable<http::Response> {
        co_return error_response(400, "BadRequest", "Bad request",
                                 "Malformed percent-encoding in the request target");
    });
    server_.set_observer([this](const http::Request& request, const http::Response& response,
                                const http::RouteMatch& route, std::chrono::nanoseconds duration) {
        unsigned status = response.result_int();
        ctx_.metrics.observe_http("api", route, status, duration);
        log::Mdc mdc{{"requestId", request_id(request)},
                     {"method", std::string(request.method_string())},
                     {"path", path_of(request)},
                     {"route", route.pattern},
                     {"status", std::to_string(status)},
                     {"durationMs", std::to_string(duration.count() / 1000000)}};
        if (auto caller = read_caller(request)) {
            mdc.emplace_back("user", caller->email);
        }
        kLog.write(status >= 500 ? log::Level::Warn : log::Level::Debug, "API request", mdc);
    });
}

void RestApi::listen(const config::EdgeListen& edge) {
    if (edge.socket) {
        server_.listen(*edge.socket, std::filesystem::perms::owner_read |
                                         std::filesystem::perms::owner_write |
                                         std::filesystem::perms::group_read |
                                         std::filesystem::perms::group_write);
        if (edge.group) {
            group* g = getgrnam(edge.group->c_str());
            if (g == nullptr ||
                chown(edge.socket->c_str(), static_cast<uid_t>(-1), g->gr_gid) != 0) {
                throw config::ConfigError(
                    "configuration.properties: 'edge.listen.group' = '" + *edge.group +
                    "': cannot give the socket to that group (is the worker a member?)");
            }
        }
        address_ = "unix:" + edge.socket->string();
        return;
    }
    secret_ = edge.secret;
    router_.set_gate([this](const http::Request& request) -> std::optional<http::Response> {
        auto sent = header(request, contract::header::kEdgeSecret);
        if (sent && crypto::secrets_equal(*sent, secret_)) {
            return std::nullopt;
        }
        kLog.warn("Refused a request without the edge secret",
                  {{"path", path_of(request)}, {"requestId", request_id(request)}});
        http::Response refusal =
            error_response(401, "Unauthorized", "Unauthorized", "Missing or wrong edge secret");
        // Machine-readable: the edge logs what to fix instead of refusing its caller.
        refusal.set(contract::header::kRefusal,
                    contract::refusal_name(contract::Refusal::EdgeSecret));
        return refusal;
    });
    namespace ip = boost::asio::ip;
    std::string host = edge.host == "localhost" ? "127.0.0.1" : edge.host;
    boost::system::error_code ec;
    ip::address address = ip::make_address(host, ec);
    if (ec) {
        throw config::ConfigError("configuration.properties: 'edge.listen' host '" + edge.host +
                                  "' is not an IP address");
    }
    server_.listen(ip::tcp::endpoint(address, static_cast<unsigned short>(edge.port)));
    address_ = host + ":" + std::to_string(server_.port());
}

void RestApi::serve_websockets(realtime::RealtimeService& service) {
    websocket_ = std::make_unique<WebSocketRoute>(service);
    websocket_->add_to(router_);
    server_.set_upgrade_taker(websocket_.get());
}

}  // namespace twake::api
