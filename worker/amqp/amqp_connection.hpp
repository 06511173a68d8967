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
    using std::runtime_error::runtime_error;
};

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

  private:
    amqp_connection_state_t conn_;
    bool logged_in_ = false;
};

}  // namespace twake::amqp
