#include "worker/http/server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/http/parser.hpp>

#include "shared/log/log.hpp"

namespace twake::http {

namespace asio = boost::asio;
using asio::use_awaitable;

namespace {
const log::Logger kLog("worker.http");
}

struct Server::Connection {
    boost::beast::tcp_stream* stream = nullptr;
    bool busy = false;
};

Server::Server(asio::io_context& io, const Router& router, ErrorResponder on_error,
               ServerOptions options)
    : io_(io),
      router_(router),
      on_error_(std::move(on_error)),
      options_(std::move(options)),
      acceptor_(io) {}

void Server::listen(const asio::ip::tcp::endpoint& endpoint) {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen();
    asio::co_spawn(io_, accept_loop(), asio::detached);
}

void Server::stop() {
    stopping_ = true;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    for (Connection* c : connections_) {
        if (!c->busy) {
            c->stream->socket().close(ignored);
        }
    }
}

Awaitable<void> Server::accept_loop() {
    while (!stopping_) {
        boost::system::error_code ec;
        auto socket = co_await acceptor_.async_accept(asio::redirect_error(use_awaitable, ec));
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

Awaitable<void> Server::serve(asio::ip::tcp::socket socket) {
    namespace bh = boost::beast::http;
    boost::beast::tcp_stream stream(std::move(socket));
    Connection self{&stream, false};
    connections_.insert(&self);
    struct Untrack {
        std::set<Connection*>& set;
        Connection* c;
        ~Untrack() { set.erase(c); }
    } untrack{connections_, &self};

    boost::beast::flat_buffer buffer;
    while (!stopping_) {
        bh::request_parser<bh::string_body> parser;
        parser.body_limit(options_.body_limit);
        stream.expires_after(options_.idle_timeout);
        boost::system::error_code ec;
        co_await bh::async_read(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
        if (ec) {
            if (ec == bh::error::body_limit) {
                Response res = make_response(bh::status::payload_too_large, kJson, "{}");
                res.keep_alive(false);
                res.prepare_payload();
                co_await bh::async_write(stream, res, asio::redirect_error(use_awaitable, ec));
            }
            break;  // closed by the peer, timed out, or not HTTP
        }
        self.busy = true;
        Request request = parser.release();
        auto started = std::chrono::steady_clock::now();
        Response response;
        try {
            response = co_await router_.dispatch(request);
        } catch (...) {
            response = on_error_(std::current_exception());
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
            observer_(request, response, std::chrono::steady_clock::now() - started);
        }
        if (ec || !keep_alive) {
            break;
        }
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    stream.socket().close(ignored);
}

}  // namespace twake::http
