#include "worker/amqp/queue_health_checks.hpp"

#include "worker/amqp/topology_declarer.hpp"

namespace twake::amqp {

namespace {

constexpr auto kTimeout = std::chrono::seconds(5);
constexpr int kNotFound = 404;

std::string join(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) {
        text += (text.empty() ? "" : ", ") + item;
    }
    return text;
}

}  // namespace

health::Result QueueConsumersHealthCheck::check() {
    std::vector<std::string> idle;
    try {
        AmqpConnection connection(consumers_.address(), kTimeout);
        for (const auto& queue : consumers_.work_queues()) {
            try {
                QueueCounts counts = inspect_queue(connection, queue);
                metrics_.queue_state(queue, counts.messages, counts.consumers);
                if (counts.consumers == 0) {
                    idle.push_back(queue);
                }
            } catch (const AmqpError& e) {
                if (e.reply_code() != kNotFound) {
                    throw;
                }
                idle.push_back(queue + " (missing)");  // the restart declares it again
            }
        }
    } catch (const AmqpError& e) {
        return unhealthy(e.what());
    }
    if (idle.empty()) {
        return healthy();
    }
    consumers_.request_restart();
    return {name(), health::Status::Degraded, "No consumers: " + join(idle)};
}

health::Result DeadLetterQueueHealthCheck::check() {
    std::vector<std::string> holding;
    try {
        AmqpConnection connection(consumers_.address(), kTimeout);
        for (const auto& queue : consumers_.dead_letter_queues()) {
            QueueCounts counts = inspect_queue(connection, queue);
            metrics_.queue_state(queue, counts.messages, counts.consumers);
            if (counts.messages > 0) {
                holding.push_back(queue + " (" + std::to_string(counts.messages) + ")");
            }
        }
    } catch (const AmqpError& e) {
        return unhealthy(e.what());
    }
    if (holding.empty()) {
        return healthy();
    }
    return {name(), health::Status::Degraded,
            "Dead-lettered messages wait for an operator: " + join(holding)};
}

}  // namespace twake::amqp
