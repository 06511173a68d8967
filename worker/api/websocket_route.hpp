#pragma once

// GET /ws on the API listener (docs/reference/realtime.md §1): the edge authenticated the
// ticket and sends X-Twake-User; the route refuses what cannot become a socket, and answers 101
// so that the server hands the connection to the real-time side.

#include "worker/http/router.hpp"
#include "worker/http/server.hpp"
#include "worker/realtime/realtime_service.hpp"

namespace twake::api {

class WebSocketRoute : public http::UpgradeTaker {
  public:
    explicit WebSocketRoute(realtime::RealtimeService& service) : service_(service) {}

    void add_to(http::Router& router);

    void take(http::Request request, boost::asio::ip::tcp::socket socket) override;
    void take(http::Request request, boost::asio::local::stream_protocol::socket socket) override;

  private:
    realtime::RealtimeService& service_;
};

}  // namespace twake::api
