#pragma once

// A consumer: a queue of the topology and the handler of its messages. The contract of a
// handler is docs/reference/rabbitmq.md §6.1.

#include <functional>
#include <string>

#include "worker/amqp/handler_outcome.hpp"
#include "worker/amqp/topology.hpp"
#include "worker/runtime/awaitable.hpp"

namespace twake::amqp {

struct Delivery {
    std::string queue;
    std::string exchange;  // where it was published (one queue may be bound to several)
    std::string body;
    std::string content_type;  // empty when the publisher set none (esn-sabre sets none)
    bool redelivered = false;  // the broker delivered it before (to this or another worker)
    int attempt = 1;           // this worker's runs of it, this one included
};

// Runs on the event loop (blocking work goes to the blocking pool). It returns Done only once
// the message's effect is durable, and must be idempotent: a message can be delivered again
// (after a lost connection, or to another worker). A thrown PoisonMessage is Poison, any
// other exception Retryable.
using Handler = std::function<runtime::Awaitable<HandlerOutcome>(const Delivery&)>;

struct Consumer {
    QueueSpec queue;
    int prefetch = 16;  // unacknowledged messages at once, so also the handler concurrency
    Handler handler;
};

}  // namespace twake::amqp
