#pragma once

// The node's real-time side (docs/reference/realtime.md): answers what sockets send
// (registrations checked as their user, display alarms on or off) and delivers pushes to the
// local sockets they concern. Sockets come from websocket_session.hpp; pushes from the
// consumers and the push bus, which know nothing of sockets. Runs on the event loop.

#include <boost/asio/io_context.hpp>

#include <functional>
#include <string>

#include "worker/realtime/client_message.hpp"
#include "worker/realtime/connection.hpp"
#include "worker/realtime/connection_registry.hpp"
#include "worker/realtime/dav_sync_tokens.hpp"
#include "worker/realtime/push_coalescer.hpp"
#include "worker/realtime/push_event.hpp"
#include "worker/realtime/realtime_limits.hpp"
#include "worker/realtime/realtime_metrics.hpp"
#include "worker/runtime/awaitable.hpp"

namespace twake::realtime {

class RealtimeService {
  public:
    RealtimeService(boost::asio::io_context& io, const RealtimeLimits& limits,
                    DavSyncTokens& tokens, RealtimeMetrics& metrics);

    const RealtimeLimits& limits() const { return limits_; }
    // False when the node holds websocket.max.connections sockets, or is stopping.
    bool accepting() const;

    // A socket is open: registered, and told `{"calendarListRegistered":true}`.
    void opened(Connection& connection);
    // A socket ended: its registrations go with it.
    void closed(Connection& connection, CloseReason reason);
    // One client message; its reply is queued on the connection before this returns.
    runtime::Awaitable<void> handle(Connection& connection, const std::string& text);

    // Where pushes made on this node go for the other nodes (the push bus); none: this node only.
    void set_other_nodes(std::function<void(const PushEvent&)> publish) {
        other_nodes_ = std::move(publish);
    }
    // A push made on this node: to its own sockets at once, and to the other nodes.
    void push(const PushEvent& event);
    // A push for this node's sockets only (one received from the push bus).
    void deliver(const PushEvent& event);
    // The alarm scheduler's entry point: `{"alarms":[…]}` to the sockets of `user`, on any
    // node, that enabled display notifications.
    void push_alarm(const std::string& user, const DisplayAlarm& alarm);

    // Back-channel logout: the sockets of that OIDC session, on every node, close 1008.
    void revoke_session(const std::string& sid);

    // Worker stop: refuses new sockets and closes every open one 1001.
    void stop();

  private:
    boost::asio::io_context& io_;
    const RealtimeLimits& limits_;
    DavSyncTokens& tokens_;
    RealtimeMetrics& metrics_;
    ConnectionRegistry registry_;
    PushCoalescer coalescer_;
    std::function<void(const PushEvent&)> other_nodes_;
    bool stopping_ = false;

    runtime::Awaitable<void> handle_register(Connection& connection,
                                             const RegisterRequest& request);
    void collection_changed(const CollectionPath& path);
    // One coalesced round for (user, path): wait, fetch, send, again while changes came.
    runtime::Awaitable<void> push_round(const std::string& user, const CollectionPath& path);
    void send(Connection& connection, std::string message, std::string_view type);
    void update_gauges();
};

}  // namespace twake::realtime
