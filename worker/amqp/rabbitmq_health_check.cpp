#include "worker/amqp/rabbitmq_health_check.hpp"

namespace twake::amqp {

health::Result RabbitMqHealthCheck::check() {
    try {
        AmqpConnection connection(address_, std::chrono::seconds(5));
        return healthy();
    } catch (const AmqpError& e) {
        return unhealthy(e.what());
    }
}

}  // namespace twake::amqp
