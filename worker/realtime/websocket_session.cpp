#include "worker/realtime/websocket_session.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>

#include <deque>
#include <memory>
#include <optional>

#include "shared/contract/edge_worker.hpp"
#include "shared/log/log.hpp"

namespace twake::realtime {

namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;
using asio::use_awaitable;

namespace {

const log::Logger kLog("worker.realtime.socket");

// Bounds the opening and closing handshakes (a peer that never answers a close frame).
constexpr auto kHandshakeTimeout = std::chrono::seconds(10);

template <class Socket>
class Session : public Connection, public std::enable_shared_from_this<Session<Socket>> {
  public:
    Session(RealtimeService& service, Socket socket, std::string user)
        : Connection(std::move(user)),
          service_(service),
          ws_(std::move(socket)),
          wake_(ws_.get_executor()),
          hard_close_(ws_.get_executor()) {}

    // The handshake, then the read loop; the writer runs beside it.
    static asio::awaitable<void> run(std::shared_ptr<Session> self, http::Request& request) {
        co_await self->serve(request);
    }

    bool send(std::string message) override {
        if (closing_) {
            return false;
        }
        if (outbound_.size() >= service_.limits().outbound_queue_max) {
            kLog.info("Slow consumer: socket closed", {{"user", user()}});
            begin_close(websocket::close_code::policy_error, "slow consumer",
                        CloseReason::SlowConsumer);
            return false;
        }
        outbound_.push_back(std::move(message));
        wake_.cancel();
        return true;
    }

    void close_revoked() override {
        begin_close(websocket::close_code::policy_error, "session revoked", CloseReason::Revoked);
    }

    void close_going_away(std::string_view reason) override {
        begin_close(websocket::close_code::going_away, reason,
                    reason == "lifetime" ? CloseReason::Lifetime : CloseReason::Shutdown);
    }

  private:
    RealtimeService& service_;
    websocket::stream<Socket> ws_;
    asio::steady_timer wake_;        // the writer sleeps on it until a message or a ping is due
    asio::steady_timer hard_close_;  // ends a socket whose close handshake does not finish
    std::deque<std::string> outbound_;
    std::optional<websocket::close_reason> closing_;
    CloseReason reason_ = CloseReason::Client;
    std::chrono::steady_clock::time_point last_heard_ = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point opened_ = std::chrono::steady_clock::now();
    bool handling_ = false;
    bool ended_ = false;

    void begin_close(websocket::close_code code, std::string_view reason, CloseReason why) {
        if (closing_ || ended_) {
            return;
        }
        closing_ =
            websocket::close_reason(code, boost::beast::string_view(reason.data(), reason.size()));
        reason_ = why;
        outbound_.clear();
        wake_.cancel();
        // A writer stuck on a peer that reads nothing never gets to send the close frame.
        hard_close_.expires_after(kHandshakeTimeout);
        hard_close_.async_wait([self = this->shared_from_this()](boost::system::error_code ec) {
            if (!ec) {
                self->drop();
            }
        });
    }

    // Ends the connection without a close handshake.
    void drop() {
        boost::system::error_code ignored;
        boost::beast::get_lowest_layer(ws_).close(ignored);
    }

    asio::awaitable<void> serve(http::Request& request) {
        const auto& limits = service_.limits();
        ws_.read_message_max(limits.max_message_size);
        ws_.set_option(websocket::stream_base::timeout{kHandshakeTimeout,
                                                       websocket::stream_base::none(), false});
        ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& res) {
            res.set(boost::beast::http::field::server, "twake-calendar-worker");
        }));
        ws_.control_callback([this](websocket::frame_type kind, boost::beast::string_view) {
            if (kind != websocket::frame_type::close) {
                last_heard_ = std::chrono::steady_clock::now();
            }
        });
        boost::system::error_code ec;
        co_await ws_.async_accept(request, asio::redirect_error(use_awaitable, ec));
        if (ec) {
            kLog.info("WebSocket handshake failed", {{"user", user()}, {"error", ec.message()}});
            drop();
            co_return;
        }
        service_.opened(*this);
        asio::co_spawn(ws_.get_executor(), write_loop(this->shared_from_this()), asio::detached);
        co_await read_loop();
        ended_ = true;
        service_.closed(*this, reason_);
        wake_.cancel();
        hard_close_.cancel();
    }

    asio::awaitable<void> read_loop() {
        boost::beast::flat_buffer buffer;
        while (true) {
            boost::system::error_code ec;
            co_await ws_.async_read(buffer, asio::redirect_error(use_awaitable, ec));
            if (ec) {
                if (ec == websocket::error::message_too_big) {
                    reason_ = CloseReason::TooBig;  // Beast closed it 1009
                }
                drop();
                co_return;
            }
            last_heard_ = std::chrono::steady_clock::now();
            if (!ws_.got_text()) {
                buffer.consume(buffer.size());  // binary frames are ignored
                continue;
            }
            std::string text = boost::beast::buffers_to_string(buffer.data());
            buffer.consume(buffer.size());
            handling_ = true;
            try {
                co_await service_.handle(*this, text);
            } catch (const std::exception& e) {
                kLog.error("WebSocket message failed", {{"user", user()}, {"error", e.what()}});
                send(R"({"error":"Internal Error"})");
            }
            handling_ = false;
            last_heard_ = std::chrono::steady_clock::now();
        }
    }

    // The only writer: queued messages, PINGs every ping interval, the close frame. It also
    // drops a silent peer and closes a socket that reached its lifetime.
    static asio::awaitable<void> write_loop(std::shared_ptr<Session> self) {
        co_await self->write_until_closed();
    }

    asio::awaitable<void> write_until_closed() {
        const auto& limits = service_.limits();
        auto next_ping = std::chrono::steady_clock::now() + limits.ping_interval;
        while (!ended_) {
            boost::system::error_code ec;
            if (!outbound_.empty()) {
                std::string message = std::move(outbound_.front());
                outbound_.pop_front();
                ws_.text(true);
                co_await ws_.async_write(asio::buffer(message),
                                         asio::redirect_error(use_awaitable, ec));
                if (ec) {
                    drop();
                    co_return;
                }
                continue;
            }
            if (closing_) {
                co_await ws_.async_close(*closing_, asio::redirect_error(use_awaitable, ec));
                drop();
                co_return;
            }
            auto now = std::chrono::steady_clock::now();
            if (now >= next_ping) {
                next_ping = now + limits.ping_interval;
                if (!handling_ && now - last_heard_ > limits.idle_timeout) {
                    kLog.info("WebSocket idle: dropped", {{"user", user()}});
                    reason_ = CloseReason::Idle;
                    drop();
                    co_return;
                }
                if (limits.max_lifetime.count() > 0 && now - opened_ >= limits.max_lifetime) {
                    close_going_away("lifetime");
                    continue;
                }
                co_await ws_.async_ping({}, asio::redirect_error(use_awaitable, ec));
                if (ec) {
                    drop();
                    co_return;
                }
                continue;
            }
            wake_.expires_at(next_ping);
            co_await wake_.async_wait(asio::redirect_error(use_awaitable, ec));
        }
    }
};

template <class Socket>
void start(RealtimeService& service, Socket socket, http::Request request, std::string user) {
    auto executor = socket.get_executor();
    auto session = std::make_shared<Session<Socket>>(service, std::move(socket), std::move(user));
    if (auto sid = request.find(contract::header::kSid); sid != request.end()) {
        session->set_sid(std::string(sid->value()));
    }
    auto held = std::make_shared<http::Request>(std::move(request));
    // The completion handler keeps the request alive while the coroutine reads it.
    asio::co_spawn(executor, Session<Socket>::run(session, *held), [held](std::exception_ptr) {});
}

}  // namespace

void start_websocket(RealtimeService& service, asio::ip::tcp::socket socket, http::Request request,
                     std::string user) {
    start(service, std::move(socket), std::move(request), std::move(user));
}

void start_websocket(RealtimeService& service, asio::local::stream_protocol::socket socket,
                     http::Request request, std::string user) {
    start(service, std::move(socket), std::move(request), std::move(user));
}

}  // namespace twake::realtime
