#include "worker/amqp/push_bus.hpp"

#include <boost/asio/post.hpp>

#include "shared/log/log.hpp"
#include "shared/text/uuid.hpp"
#include "worker/amqp/amqp_table.hpp"
#include "worker/amqp/delivery_wait.hpp"
#include "worker/amqp/topology_declarer.hpp"

namespace twake::amqp {

namespace {

const log::Logger kLog("worker.amqp.push_bus");

constexpr const char* kExchange = "tcalendar:push";
constexpr amqp_channel_t kChannel = 1;
constexpr auto kConnectTimeout = std::chrono::seconds(5);
constexpr auto kReconnectDelay = std::chrono::seconds(2);
// Longest wait for a frame, so also the longest a publication waits for the thread.
constexpr auto kPollInterval = std::chrono::milliseconds(20);
constexpr std::size_t kOutboundMax = 10000;
constexpr std::uint16_t kPrefetch = 500;

void expect_ok(int status, const char* what) {
    if (status != AMQP_STATUS_OK) {
        throw AmqpError(std::string(what) + ": " + amqp_error_string2(status));
    }
}

}  // namespace

PushBus::PushBus(boost::asio::io_context& io, AmqpAddress address,
                 realtime::RealtimeMetrics& metrics, Receiver receiver)
    : io_(io),
      address_(std::move(address)),
      metrics_(metrics),
      receiver_(std::move(receiver)),
      node_(text::random_uuid()),
      queue_(std::string(kExchange) + ":" + node_) {}

PushBus::~PushBus() {
    stop();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void PushBus::start() {
    thread_ = std::thread([this] { run(); });
}

void PushBus::stop() {
    stopping_ = true;
    std::lock_guard lock(mutex_);
    wake_.notify_all();
}

void PushBus::publish(const realtime::PushEvent& event) {
    if (!consuming_) {
        metrics_.bus_error();
        return;
    }
    std::string body = realtime::encode_envelope({node_, event});
    std::lock_guard lock(mutex_);
    if (outbound_.size() >= kOutboundMax) {
        metrics_.bus_error();
        return;
    }
    outbound_.push_back(std::move(body));
}

void PushBus::run() {
    while (!stopping_) {
        try {
            session();
        } catch (const std::exception& e) {
            consuming_ = false;
            if (!failing_) {
                kLog.error("Push bus connection lost or refused; reconnecting every 2 s",
                           {{"error", e.what()}});
                metrics_.bus_error();
            }
            failing_ = true;
            std::unique_lock lock(mutex_);
            outbound_.clear();  // hints: not worth keeping for later
            wake_.wait_for(lock, kReconnectDelay, [this] { return stopping_.load(); });
        }
    }
    consuming_ = false;
}

void PushBus::session() {
    AmqpConnection connection(address_, kConnectTimeout);
    amqp_connection_state_t conn = connection.get();
    declare_exchanges(connection, {kExchange});
    // Other nodes' pushes wait here at most 10,000 deep, the oldest dropped first: a node that
    // cannot keep up loses hints, never memory.
    AmqpTable arguments({{"x-max-length", std::int32_t{10000}}, {"x-overflow", "drop-head"}});
    amqp_queue_declare(conn, kChannel, amqp_cstring_bytes(queue_.c_str()), /*passive=*/0,
                       /*durable=*/0, /*exclusive=*/1, /*auto_delete=*/1, arguments.get());
    expect_normal(amqp_get_rpc_reply(conn), "queue.declare");
    amqp_queue_bind(conn, kChannel, amqp_cstring_bytes(queue_.c_str()),
                    amqp_cstring_bytes(kExchange), amqp_cstring_bytes(""), amqp_empty_table);
    expect_normal(amqp_get_rpc_reply(conn), "queue.bind");
    amqp_basic_qos(conn, kChannel, 0, kPrefetch, 0);
    expect_normal(amqp_get_rpc_reply(conn), "basic.qos");
    amqp_basic_consume(conn, kChannel, amqp_cstring_bytes(queue_.c_str()), amqp_empty_bytes,
                       /*no_local=*/0, /*no_ack=*/0, /*exclusive=*/1, amqp_empty_table);
    expect_normal(amqp_get_rpc_reply(conn), "basic.consume");
    if (failing_) {
        kLog.info("Push bus reconnected", {{"queue", queue_}});
    } else {
        kLog.info("Push bus consuming", {{"queue", queue_}});
    }
    failing_ = false;
    consuming_ = true;

    while (!stopping_) {
        publish_pending(connection);
        amqp_envelope_t envelope;
        if (wait_for_delivery(conn, envelope, kPollInterval)) {
            std::string body(static_cast<const char*>(envelope.message.body.bytes),
                             envelope.message.body.len);
            std::uint64_t tag = envelope.delivery_tag;
            amqp_destroy_envelope(&envelope);
            received(body);
            expect_ok(amqp_basic_ack(conn, kChannel, tag, 0), "basic.ack");
        }
    }
}

void PushBus::publish_pending(AmqpConnection& connection) {
    std::deque<std::string> pending;
    {
        std::lock_guard lock(mutex_);
        pending.swap(outbound_);
    }
    amqp_basic_properties_t properties{};
    properties._flags = AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_CONTENT_TYPE_FLAG;
    properties.delivery_mode = 1;  // transient: a hint is worthless after a broker restart
    properties.content_type = amqp_cstring_bytes("application/json");
    for (const auto& body : pending) {
        amqp_bytes_t bytes{body.size(), const_cast<char*>(body.data())};
        expect_ok(amqp_basic_publish(connection.get(), kChannel, amqp_cstring_bytes(kExchange),
                                     amqp_cstring_bytes(""), 0, 0, &properties, bytes),
                  "basic.publish");
        metrics_.bus_published();
    }
}

void PushBus::received(const std::string& body) {
    auto envelope = realtime::decode_envelope(body);
    if (!envelope) {
        kLog.warn("Unreadable push bus envelope ignored");
        metrics_.bus_error();
        return;
    }
    if (envelope->node == node_) {
        return;  // delivered locally when it was made
    }
    metrics_.bus_received();
    boost::asio::post(io_, [this, event = std::move(envelope->event)] { receiver_(event); });
}

health::Result PushBusHealthCheck::check() {
    if (bus_.consuming()) {
        return healthy();
    }
    return {name(), health::Status::Degraded,
            "The push bus queue is not consumed: sockets get only this node's pushes"};
}

}  // namespace twake::amqp
