#pragma once

// Waiting for the next delivery on a consuming connection, shared by the consumer framework
// and the push bus: a delivery, or nothing within the wait, or an AmqpError when the broker
// ended the channel, the connection or a consumer (docs/reference/rabbitmq.md §6.4).

#include <amqp.h>

#include <chrono>

namespace twake::amqp {

// True with `envelope` filled (the caller destroys it); false when nothing came within
// `timeout` or another frame was read.
bool wait_for_delivery(amqp_connection_state_t conn, amqp_envelope_t& envelope,
                       std::chrono::milliseconds timeout);

}  // namespace twake::amqp
