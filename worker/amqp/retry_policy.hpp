#pragma once

// How often and how late a retryable failure is tried again before it is dead-lettered
// (docs/reference/rabbitmq.md §6.2).

#include <chrono>

namespace twake::amqp {

struct RetryPolicy {
    int max_retries = 3;                          // rabbitmq.properties consumer.retry.max
    std::chrono::milliseconds first_delay{1000};  // consumer.retry.delay
    std::chrono::milliseconds max_delay{60000};

    // Delay before retry number `retry` (1-based): first_delay doubled each time, capped.
    std::chrono::milliseconds delay_before(int retry) const;
    // Whether a message whose `attempts` runs all failed gets another one.
    bool retries_left(int attempts) const { return attempts <= max_retries; }
};

}  // namespace twake::amqp
