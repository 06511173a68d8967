#pragma once

// A blocking AMQP 0-9-1 connection through librabbitmq, opened from an `amqp://` URI, with
// bounded connect, handshake and RPC waits.

#include <amqp.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

namespace twake::amqp {

class AmqpError : public std::runtime_error {
  public:
    // `reply_code` is the broker's (e.g. 406 PRECONDITION_FAILED, 404 NOT_FOUND), 0 when the
    // failure is not the broker's answer.
    explicit AmqpError(const std::string& what, int reply_code = 0)
        : std::runtime_error(what), reply_code_(reply_code) {}
    int reply_code() const { return reply_code_; }
    // The broker closed the channel (not the connection): the channel can be opened again.
    bool channel_closed() const { return channel_closed_; }
    AmqpError& on_channel() {
        channel_closed_ = true;
        return *this;
    }

  private:
    int reply_code_;
    bool channel_closed_ = false;
};

// Throws AmqpError unless `reply` is normal; a server close carries its reply code.
void expect_normal(const amqp_rpc_reply_t& reply, const char* what);

struct AmqpAddress {
    std::string host;
    int port = 5672;
    std::string vhost = "/";
    std::string user = "guest";
    std::string password = "guest";
    bool tls = false;
};

// Parses `amqp://user:password@host:port/vhost`; throws config::ConfigError naming `key`.
AmqpAddress parse_amqp_uri(const std::string& uri, const std::string& key);

class AmqpConnection {
  public:
    // Connects, logs in and opens channel 1; throws AmqpError with the broker's reason.
    AmqpConnection(const AmqpAddress& address, std::chrono::milliseconds timeout);
    ~AmqpConnection();
    AmqpConnection(const AmqpConnection&) = delete;
    AmqpConnection& operator=(const AmqpConnection&) = delete;

    amqp_connection_state_t get() const { return conn_; }

    // Opens `channel` (again, after the broker closed it on an error).
    void open_channel(amqp_channel_t channel);

  private:
    amqp_connection_state_t conn_;
    bool logged_in_ = false;
};

}  // namespace twake::amqp
