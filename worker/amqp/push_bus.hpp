#pragma once

// The push bus between worker nodes (docs/reference/realtime.md §4): a durable fanout exchange
// `tcalendar:push`, and per node an exclusive, auto-deleted queue `tcalendar:push:<nodeId>`
// bound to it. A push made on one node is delivered to its own sockets at once and published
// here for the others; a node ignores its own envelopes. On its own thread (librabbitmq
// blocks); reconnects every 2 s, re-creating its queue.

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "worker/amqp/amqp_connection.hpp"
#include "worker/health/health_check.hpp"
#include "worker/realtime/push_event.hpp"
#include "worker/realtime/realtime_metrics.hpp"

namespace twake::amqp {

class PushBus {
  public:
    // Runs on the event loop with each envelope of another node.
    using Receiver = std::function<void(const realtime::PushEvent&)>;

    PushBus(boost::asio::io_context& io, AmqpAddress address, realtime::RealtimeMetrics& metrics,
            Receiver receiver);
    ~PushBus();  // stops and joins the thread; the broker deletes the node's queue
    PushBus(const PushBus&) = delete;
    PushBus& operator=(const PushBus&) = delete;

    void start();
    void stop();

    // From any thread. Published transient; while the bus is down the envelope is dropped
    // (other nodes miss a hint, counted in tcal_push_bus_errors_total).
    void publish(const realtime::PushEvent& event);

    // The node's queue is consumed (the `WebSocket push bus` health check).
    bool consuming() const { return consuming_; }
    const std::string& node() const { return node_; }

  private:
    boost::asio::io_context& io_;
    AmqpAddress address_;
    realtime::RealtimeMetrics& metrics_;
    Receiver receiver_;
    const std::string node_;
    const std::string queue_;

    std::thread thread_;
    std::atomic<bool> stopping_{false};
    std::atomic<bool> consuming_{false};
    std::mutex mutex_;  // guards outbound_ and the waits between connection attempts
    std::condition_variable wake_;
    std::deque<std::string> outbound_;
    bool failing_ = false;  // bus thread only: the outage was logged

    void run();
    void session();
    void publish_pending(AmqpConnection& connection);
    void received(const std::string& body);
};

// `WebSocket push bus`: degraded while the node's queue is not consumed (its sockets then get
// only the pushes made on this node).
class PushBusHealthCheck : public health::HealthCheck {
  public:
    explicit PushBusHealthCheck(const PushBus& bus)
        : HealthCheck("WebSocket push bus"), bus_(bus) {}
    health::Result check() override;

  private:
    const PushBus& bus_;
};

}  // namespace twake::amqp
