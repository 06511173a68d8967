#pragma once

// An HTTP/1.1 server on a TCP endpoint or a unix socket: one coroutine per connection,
// keep-alive, a body limit, and a graceful stop that lets in-flight requests finish.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <chrono>
#include <cstddef>
#include <exception>
#include <filesystem>
#include <functional>
#include <optional>
#include <string_view>
#include <set>
#include <string>

#include "worker/http/message.hpp"
#include "worker/http/router.hpp"

namespace twake::http {

struct ServerOptions {
    std::string name;  // for logs: "webadmin", "api"
    size_t body_limit = 1 << 20;
    std::chrono::seconds idle_timeout{60};
    // A larger limit for the requests of some paths (an upload route); `target` is the
    // request-target as sent, query included. Nullopt: body_limit.
    std::function<std::optional<size_t>(std::string_view target)> body_limit_for = nullptr;
};

// Builds the API's error body for an exception that escaped a handler.
using ErrorResponder = std::function<Response(std::exception_ptr)>;
// Called after each response is written (metrics, request log).
using Observer = std::function<void(const Request&, const Response&, const RouteMatch&,
                                    std::chrono::nanoseconds)>;
// Called with each request before routing and the peer's IP address ("" on a unix socket):
// lets a listener stamp the request (a request id) and log its arrival.
using RequestHook = std::function<void(Request&, const std::string& peer)>;
// Called with each response before it is written: headers every answer carries (CORS).
using ResponseHook = std::function<void(const Request&, Response&)>;

// Takes over a connection whose route answered 101 Switching Protocols (a WebSocket upgrade):
// the request and the socket are handed over, and from then on the server neither limits nor
// tracks the connection (its body and idle limits are HTTP's).
class UpgradeTaker {
  public:
    virtual ~UpgradeTaker() = default;
    virtual void take(Request request, boost::asio::ip::tcp::socket socket) = 0;
    virtual void take(Request request, boost::asio::local::stream_protocol::socket socket) = 0;
};

class Server {
  public:
    Server(boost::asio::io_context& io, const Router& router, ErrorResponder on_error,
           ServerOptions options);

    // Binds and listens; throws boost::system::system_error when the address is unusable.
    void listen(const boost::asio::ip::tcp::endpoint& endpoint);
    // Listens on a unix socket (an existing socket file is replaced) with the given mode.
    void listen(const std::filesystem::path& socket, std::filesystem::perms mode);
    // The TCP port (0 on a unix socket).
    unsigned short port() const;
    void set_observer(Observer observer) { observer_ = std::move(observer); }
    void set_request_hook(RequestHook hook) { request_hook_ = std::move(hook); }
    void set_response_hook(ResponseHook hook) { response_hook_ = std::move(hook); }
    // Without one, a 101 answer is written like any other.
    void set_upgrade_taker(UpgradeTaker* taker) { upgrade_taker_ = taker; }

    // Stops accepting, closes idle connections, lets busy ones finish their response.
    void stop();

  private:
    struct Connection;

    boost::asio::io_context& io_;
    const Router& router_;
    ErrorResponder on_error_;
    ServerOptions options_;
    Observer observer_;
    RequestHook request_hook_;
    ResponseHook response_hook_;
    UpgradeTaker* upgrade_taker_ = nullptr;
    std::optional<boost::asio::ip::tcp::acceptor> tcp_;
    std::optional<boost::asio::local::stream_protocol::acceptor> unix_;
    std::optional<std::filesystem::path> socket_path_;
    std::set<Connection*> connections_;
    bool stopping_ = false;

    template <class Acceptor>
    Awaitable<void> accept_loop(Acceptor& acceptor);
    template <class Socket>
    Awaitable<void> serve(Socket socket);
};

}  // namespace twake::http
