#pragma once

// Declares exchanges, queues and bindings on a connection's channel 1, in upstream's order,
// tolerating what an existing deployment already has (docs/reference/rabbitmq.md §5.1).

#include <string>
#include <vector>

#include "worker/amqp/amqp_connection.hpp"
#include "worker/amqp/topology.hpp"

namespace twake::amqp {

// Durable fanout exchanges; one that exists with other flags is logged and kept.
void declare_exchanges(AmqpConnection& connection, const std::vector<std::string>& exchanges);

// Dead-letter exchange and queue, their binding, the work queue and its binding. A queue that
// exists with other arguments is logged and used as it is. Throws AmqpError otherwise.
void declare_queue(AmqpConnection& connection, const QueueSpec& spec);

// Passive declaration: the queue's message and consumer counts; throws AmqpError (404 when
// the queue does not exist, after which channel 1 is open again).
struct QueueCounts {
    std::uint32_t messages = 0;
    std::uint32_t consumers = 0;
};
QueueCounts inspect_queue(AmqpConnection& connection, const std::string& queue);

}  // namespace twake::amqp
