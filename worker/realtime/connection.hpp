#pragma once

// One open socket as the rest of the real-time side sees it: whose it is, a bounded queue of
// messages to send, and a way to close it. The WebSocket itself is websocket_session.hpp.

#include <string>
#include <string_view>

namespace twake::realtime {

// Why a socket ended (the `reason` label of tcal_ws_connections_closed_total).
enum class CloseReason { Client, Idle, SlowConsumer, TooBig, Lifetime, Revoked, Shutdown, Error };

std::string_view close_reason_label(CloseReason reason);

class Connection {
  public:
    explicit Connection(std::string user) : user_(std::move(user)) {}
    virtual ~Connection() = default;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // The lower-cased address the edge authenticated.
    const std::string& user() const { return user_; }
    // The OIDC session the socket's ticket was issued in (X-Twake-Sid); empty when none.
    const std::string& sid() const { return sid_; }
    void set_sid(std::string sid) { sid_ = std::move(sid); }

    // Queues one text message. When the queue is full the socket is closed 1008 (slow
    // consumer) and false is returned.
    virtual bool send(std::string message) = 0;
    // Closes with a close frame: 1001 `reason` (worker stop, lifetime).
    virtual void close_going_away(std::string_view reason) = 0;
    // Closes with a close frame: 1008 `session revoked` (back-channel logout of its session).
    virtual void close_revoked() = 0;

  private:
    std::string user_;
    std::string sid_;
};

}  // namespace twake::realtime
