#pragma once

// Consumer metrics by queue (docs/operate.md §3.2). prometheus-cpp's families and counters are
// thread-safe: the consumer thread and the event loop both update them.

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <chrono>
#include <string>
#include <string_view>

namespace twake::amqp {

class ConsumerMetrics {
  public:
    explicit ConsumerMetrics(prometheus::Registry& registry);

    void received(const std::string& queue);
    void acked(const std::string& queue);
    void retried(const std::string& queue);
    // `cause`: `poison` or `retries_exhausted`.
    void dead_lettered(const std::string& queue, std::string_view cause);
    // One handler run; `outcome`: `done`, `retryable` or `poison`.
    void handled(const std::string& queue, std::string_view outcome,
                 std::chrono::nanoseconds duration);
    // What a queue held when the health checks last looked: the messages waiting (the
    // consumers' lag) and its consumers.
    void queue_state(const std::string& queue, double messages, double consumers);

  private:
    prometheus::Family<prometheus::Counter>& received_;
    prometheus::Family<prometheus::Counter>& acked_;
    prometheus::Family<prometheus::Counter>& retried_;
    prometheus::Family<prometheus::Counter>& dead_lettered_;
    prometheus::Family<prometheus::Histogram>& handling_;
    prometheus::Family<prometheus::Gauge>& queue_messages_;
    prometheus::Family<prometheus::Gauge>& queue_consumers_;
};

}  // namespace twake::amqp
