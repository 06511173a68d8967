#pragma once

// The health checks over the consumed queues (docs/operate.md §3.1), names as upstream:
// `CalendarQueueConsumers` and `RabbitMQDeadLetterQueueEmptiness`. Each opens a connection of
// its own and inspects the queues passively.

#include "worker/amqp/consumer_metrics.hpp"
#include "worker/amqp/consumer_service.hpp"
#include "worker/health/health_check.hpp"

namespace twake::amqp {

// Degraded when a consumed queue has no consumer (and the consumers are restarted). Each
// check also records what every queue holds (`twake_amqp_queue_messages`).
class QueueConsumersHealthCheck : public health::HealthCheck {
  public:
    QueueConsumersHealthCheck(ConsumerService& consumers, ConsumerMetrics& metrics)
        : HealthCheck("CalendarQueueConsumers"), consumers_(consumers), metrics_(metrics) {}
    health::Result check() override;

  private:
    ConsumerService& consumers_;
    ConsumerMetrics& metrics_;
};

// Degraded when a dead-letter queue of a consumed queue holds messages.
class DeadLetterQueueHealthCheck : public health::HealthCheck {
  public:
    DeadLetterQueueHealthCheck(const ConsumerService& consumers, ConsumerMetrics& metrics)
        : HealthCheck("RabbitMQDeadLetterQueueEmptiness"),
          consumers_(consumers),
          metrics_(metrics) {}
    health::Result check() override;

  private:
    const ConsumerService& consumers_;
    ConsumerMetrics& metrics_;
};

}  // namespace twake::amqp
