#pragma once

// The API listener nginx talks to (docs/reference/edge-worker.md §3): a unix socket whose
// permissions are the trust boundary, or loopback TCP where every request must carry the edge
// secret.

#include <boost/asio/io_context.hpp>

#include <memory>

#include "worker/api/api_context.hpp"
#include "worker/api/websocket_route.hpp"
#include "worker/http/router.hpp"
#include "worker/http/server.hpp"

namespace twake::api {

class RestApi {
  public:
    RestApi(boost::asio::io_context& io, ApiContext& ctx);

    // Listens as `edge` says; throws on an unusable address or socket path.
    void listen(const config::EdgeListen& edge);
    // Adds GET /ws, whose sockets `service` serves (docs/reference/realtime.md §1).
    void serve_websockets(realtime::RealtimeService& service);
    std::string address() const { return address_; }
    void stop() { server_.stop(); }

  private:
    ApiContext& ctx_;
    http::Router router_;
    http::Server server_;
    std::string secret_;
    std::string address_;
    std::unique_ptr<WebSocketRoute> websocket_;
};

}  // namespace twake::api
