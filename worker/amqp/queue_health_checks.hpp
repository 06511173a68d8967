#pragma once

// The health checks over the consumed queues (docs/operate.md §3.1), names as upstream:
// `CalendarQueueConsumers` and `RabbitMQDeadLetterQueueEmptiness`. Each opens a connection of
// its own and inspects the queues passively.

#include "worker/amqp/consumer_service.hpp"
#include "worker/health/health_check.hpp"

namespace twake::amqp {

// Degraded when a consumed queue has no consumer (and the consumers are restarted).
class QueueConsumersHealthCheck : public health::HealthCheck {
  public:
    explicit QueueConsumersHealthCheck(ConsumerService& consumers)
        : HealthCheck("CalendarQueueConsumers"), consumers_(consumers) {}
    health::Result check() override;

  private:
    ConsumerService& consumers_;
};

// Degraded when a dead-letter queue of a consumed queue holds messages.
class DeadLetterQueueHealthCheck : public health::HealthCheck {
  public:
    explicit DeadLetterQueueHealthCheck(const ConsumerService& consumers)
        : HealthCheck("RabbitMQDeadLetterQueueEmptiness"), consumers_(consumers) {}
    health::Result check() override;

  private:
    const ConsumerService& consumers_;
};

}  // namespace twake::amqp
