#pragma once

// A WebSocket on a connection the HTTP server handed over after a `GET /ws` upgrade
// (docs/reference/realtime.md §2): the handshake, then one message handled at a time, a bounded
// outbound queue, keepalive PINGs, the idle timeout and the lifetime cap. Over TCP or a unix
// socket alike.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>

#include <string>

#include "worker/http/message.hpp"
#include "worker/realtime/realtime_service.hpp"

namespace twake::realtime {

// `user` is the identity the edge authenticated (X-Twake-User).
void start_websocket(RealtimeService& service, boost::asio::ip::tcp::socket socket,
                     http::Request request, std::string user);
void start_websocket(RealtimeService& service, boost::asio::local::stream_protocol::socket socket,
                     http::Request request, std::string user);

}  // namespace twake::realtime
