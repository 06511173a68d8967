#pragma once

// An HTTP/1.1 server on one TCP endpoint: one coroutine per connection, keep-alive, a body
// limit, and a graceful stop that lets in-flight requests finish.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <set>
#include <string>

#include "worker/http/message.hpp"
#include "worker/http/router.hpp"

namespace twake::http {

struct ServerOptions {
    std::string name;  // for logs: "webadmin", "api"
    size_t body_limit = 1 << 20;
    std::chrono::seconds idle_timeout{60};
};

// Builds the API's error body for an exception that escaped a handler.
using ErrorResponder = std::function<Response(std::exception_ptr)>;
// Called after each response is written (metrics, request log).
using Observer = std::function<void(const Request&, const Response&, std::chrono::nanoseconds)>;

class Server {
  public:
    Server(boost::asio::io_context& io, const Router& router, ErrorResponder on_error,
           ServerOptions options);

    // Binds and listens; throws boost::system::system_error when the address is unusable.
    void listen(const boost::asio::ip::tcp::endpoint& endpoint);
    boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
    void set_observer(Observer observer) { observer_ = std::move(observer); }

    // Stops accepting, closes idle connections, lets busy ones finish their response.
    void stop();

  private:
    struct Connection;

    boost::asio::io_context& io_;
    const Router& router_;
    ErrorResponder on_error_;
    ServerOptions options_;
    Observer observer_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::set<Connection*> connections_;
    bool stopping_ = false;

    Awaitable<void> accept_loop();
    Awaitable<void> serve(boost::asio::ip::tcp::socket socket);
};

}  // namespace twake::http
