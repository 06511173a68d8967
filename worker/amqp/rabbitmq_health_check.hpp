#pragma once

#include "worker/amqp/amqp_connection.hpp"
#include "worker/health/health_check.hpp"

namespace twake::amqp {

// A connection and a channel can be opened (component name `RabbitMQ backend`, as upstream).
class RabbitMqHealthCheck : public health::HealthCheck {
  public:
    explicit RabbitMqHealthCheck(AmqpAddress address)
        : HealthCheck("RabbitMQ backend"), address_(std::move(address)) {}
    health::Result check() override;

  private:
    AmqpAddress address_;
};

}  // namespace twake::amqp
