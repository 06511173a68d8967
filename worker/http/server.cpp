#include "worker/http/server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/basic_stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <type_traits>

#include "shared/log/log.hpp"
#include "worker/http/unreadable_request.hpp"

namespace twake::http {

namespace asio = boost::asio;
using asio::use_awaitable;
using local_stream = asio::local::stream_protocol;

namespace {
const log::Logger kLog("worker.http");

// The status for a read that failed on the request itself; nothing when the peer closed, the
// connection timed out or broke (then there is nobody to answer).
std::optional<unsigned> unreadable_status(const boost::system::error_code& ec) {
    namespace bh = boost::beast::http;
    if (ec == bh::error::body_limit) {
        return 413;
    }
    if (ec == bh::error::header_limit) {
        return 431;
    }
    if (ec.category() == bh::make_error_code(bh::error::bad_method).category() &&
        ec != bh::error::end_of_stream && ec != bh::error::partial_message) {
        return 400;
    }
    return std::nullopt;
}
}  // namespace

// A connection's state, seen by stop(): an idle connection (waiting for a request) is closed,
// a busy one finishes its response first.
struct Server::Connection {
    std::function<void()> close;
    bool busy = false;
};

Server::Server(asio::io_context& io, const Router& router, ErrorResponder on_error,
               ServerOptions options)
    : io_(io), router_(router), on_error_(std::move(on_error)), options_(std::move(options)) {}

void Server::listen(const asio::ip::tcp::endpoint& endpoint) {
    auto& acceptor = tcp_.emplace(io_);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen();
    asio::co_spawn(io_, accept_loop(acceptor), asio::detached);
}

void Server::listen(const std::filesystem::path& socket, std::filesystem::perms mode) {
    std::error_code ec;
    if (std::filesystem::is_socket(socket, ec)) {
        std::filesystem::remove(socket, ec);  // left by a previous run
    }
    if (!socket.parent_path().empty() && !std::filesystem::exists(socket.parent_path(), ec)) {
        // Without systemd's RuntimeDirectory= (a plain run), make the folder, private.
        std::filesystem::create_directories(socket.parent_path());
        std::filesystem::permissions(socket.parent_path(), std::filesystem::perms::owner_all |
                                                               std::filesystem::perms::group_read |
                                                               std::filesystem::perms::group_exec);
    }
    auto& acceptor = unix_.emplace(io_);
    acceptor.open(local_stream());
    acceptor.bind(local_stream::endpoint(socket.string()));
    std::filesystem::permissions(socket, mode);
    acceptor.listen();
    socket_path_ = socket;
    asio::co_spawn(io_, accept_loop(acceptor), asio::detached);
}

unsigned short Server::port() const {
    return tcp_ ? tcp_->local_endpoint().port() : 0;
}

void Server::stop() {
    stopping_ = true;
    boost::system::error_code ignored;
    if (tcp_) {
        tcp_->close(ignored);
    }
    if (unix_) {
        unix_->close(ignored);
    }
    if (socket_path_) {
        std::error_code ec;
        std::filesystem::remove(*socket_path_, ec);
    }
    for (Connection* c : connections_) {
        if (!c->busy) {
            c->close();
        }
    }
}

template <class Acceptor>
Awaitable<void> Server::accept_loop(Acceptor& acceptor) {
    while (!stopping_) {
        boost::system::error_code ec;
        auto socket = co_await acceptor.async_accept(asio::redirect_error(use_awaitable, ec));
        if (ec) {
            if (stopping_ || ec == asio::error::operation_aborted) {
                co_return;
            }
            kLog.warn("accept failed", {{"listener", options_.name}, {"error", ec.message()}});
            continue;
        }
        asio::co_spawn(io_, serve(std::move(socket)), asio::detached);
    }
}

// After an early answer the client may still be sending what we did not read: closing now
// would reset the connection and destroy the answer before the client reads it. So stop
// sending, and read and drop what comes, for a bounded time and size, until the client closes.
template <class Stream>
Awaitable<void> linger(Stream& stream) {
    constexpr size_t kMaxDrained = 1 << 20;
    boost::system::error_code ec;
    stream.socket().shutdown(asio::socket_base::shutdown_send, ec);
    stream.expires_after(std::chrono::seconds(2));
    std::array<char, 4096> sink;
    for (size_t drained = 0; !ec && drained < kMaxDrained;) {
        drained += co_await stream.async_read_some(asio::buffer(sink),
                                                   asio::redirect_error(use_awaitable, ec));
    }
}

template <class Socket>
Awaitable<void> Server::serve(Socket socket) {
    namespace bh = boost::beast::http;
    using Protocol = typename Socket::protocol_type;
    boost::beast::basic_stream<Protocol> stream(std::move(socket));
    Connection self{[&stream] {
                        boost::system::error_code ignored;
                        stream.socket().close(ignored);
                    },
                    false};
    connections_.insert(&self);
    struct Untrack {
        std::set<Connection*>& set;
        Connection* c;
        ~Untrack() { set.erase(c); }
    } untrack{connections_, &self};

    std::string peer;
    if constexpr (std::is_same_v<Protocol, asio::ip::tcp>) {
        boost::system::error_code ec;
        auto endpoint = stream.socket().remote_endpoint(ec);
        if (!ec) {
            peer = endpoint.address().to_string();
        }
    }

    boost::beast::flat_buffer buffer;
    while (!stopping_) {
        bh::request_parser<bh::string_body> parser;
        size_t body_limit = options_.body_limit;
        parser.body_limit(body_limit);
        stream.expires_after(options_.idle_timeout);
        boost::system::error_code ec;
        if (options_.body_limit_for) {
            // The header first: its target chooses the limit. Beast checks a Content-Length
            // against the limit when the header ends, so none applies until then (the maximum:
            // Beast 1.74 compares a length with an empty limit as larger).
            parser.body_limit(std::numeric_limits<std::uint64_t>::max());
            co_await bh::async_read_header(stream, buffer, parser,
                                           asio::redirect_error(use_awaitable, ec));
            if (!ec) {
                body_limit =
                    options_.body_limit_for(parser.get().target()).value_or(options_.body_limit);
                auto length = parser.content_length();
                if (length && *length > body_limit) {
                    ec = bh::error::body_limit;
                } else {
                    parser.body_limit(body_limit);  // counts the chunks of a chunked body
                    co_await bh::async_read(stream, buffer, parser,
                                            asio::redirect_error(use_awaitable, ec));
                }
            }
        } else {
            co_await bh::async_read(stream, buffer, parser,
                                    asio::redirect_error(use_awaitable, ec));
        }
        if (ec) {
            if (auto status = unreadable_status(ec)) {
                kLog.info("unreadable request", {{"listener", options_.name},
                                                 {"status", std::to_string(*status)},
                                                 {"error", ec.message()}});
                std::string details = *status == 413
                                          ? "The request body is larger than the " +
                                                std::to_string(body_limit) + " bytes accepted here"
                                          : "The request could not be read: " + ec.message();
                Response res =
                    on_error_(std::make_exception_ptr(UnreadableRequest(*status, details)));
                res.keep_alive(false);
                res.prepare_payload();
                co_await bh::async_write(stream, res, asio::redirect_error(use_awaitable, ec));
                if (!ec) {
                    co_await linger(stream);
                }
            }
            break;  // answered, or closed by the peer, timed out, broken
        }
        self.busy = true;
        Request request = parser.release();
        auto started = std::chrono::steady_clock::now();
        Response response;
        RouteMatch route;
        try {
            if (request_hook_) {
                request_hook_(request, peer);
            }
            response = co_await router_.dispatch(request, route);
        } catch (...) {
            response = on_error_(std::current_exception());
        }
        if (response.result() == bh::status::switching_protocols && upgrade_taker_ != nullptr) {
            if (observer_) {
                observer_(request, response, route, std::chrono::steady_clock::now() - started);
            }
            stream.expires_never();
            upgrade_taker_->take(std::move(request), stream.release_socket());
            co_return;
        }
        if (response_hook_) {
            response_hook_(request, response);
        }
        bool keep_alive = request.keep_alive() && !stopping_;
        response.keep_alive(keep_alive);
        if (request.method() == bh::verb::head) {
            auto length = response.body().size();
            response.body().clear();
            response.content_length(length);
        } else {
            response.prepare_payload();
        }
        stream.expires_after(options_.idle_timeout);
        co_await bh::async_write(stream, response, asio::redirect_error(use_awaitable, ec));
        self.busy = false;
        if (observer_) {
            observer_(request, response, route, std::chrono::steady_clock::now() - started);
        }
        if (ec || !keep_alive) {
            break;
        }
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(Socket::shutdown_send, ignored);
    stream.socket().close(ignored);
}

}  // namespace twake::http
