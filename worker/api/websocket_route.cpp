#include "worker/api/websocket_route.hpp"

#include <boost/beast/websocket/rfc6455.hpp>

#include "worker/api/caller.hpp"
#include "worker/api/rest_error.hpp"
#include "worker/realtime/websocket_session.hpp"

namespace twake::api {

void WebSocketRoute::add_to(http::Router& router) {
    router.add(http::beast_http::verb::get, "/ws",
               [this](http::RouteContext& ctx) -> http::Awaitable<http::Response> {
                   require_caller(ctx.request);
                   if (!boost::beast::websocket::is_upgrade(ctx.request)) {
                       co_return error_response(400, "BadRequest", "Bad request",
                                                "GET /ws is a WebSocket upgrade");
                   }
                   if (!service_.accepting()) {
                       co_return error_response(503, "ServiceUnavailable", "Service unavailable",
                                                "This worker holds as many WebSockets as it may");
                   }
                   // Not written: the server hands the connection over (UpgradeTaker), and the
                   // WebSocket handshake answers the client.
                   co_return http::Response{http::beast_http::status::switching_protocols, 11};
               });
}

void WebSocketRoute::take(http::Request request, boost::asio::ip::tcp::socket socket) {
    std::string user = require_caller(request).email;
    realtime::start_websocket(service_, std::move(socket), std::move(request), std::move(user));
}

void WebSocketRoute::take(http::Request request,
                          boost::asio::local::stream_protocol::socket socket) {
    std::string user = require_caller(request).email;
    realtime::start_websocket(service_, std::move(socket), std::move(request), std::move(user));
}

}  // namespace twake::api
