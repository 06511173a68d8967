#include "worker/amqp/consumer_metrics.hpp"

namespace twake::amqp {

namespace {

prometheus::Family<prometheus::Counter>& counter(prometheus::Registry& registry, const char* name,
                                                 const char* help) {
    return prometheus::BuildCounter().Name(name).Help(help).Register(registry);
}

}  // namespace

ConsumerMetrics::ConsumerMetrics(prometheus::Registry& registry)
    : received_(counter(registry, "twake_amqp_messages_received_total",
                        "Messages delivered to the worker's consumers, by queue")),
      acked_(counter(registry, "twake_amqp_messages_acked_total",
                     "Messages handled and acknowledged, by queue")),
      retried_(counter(registry, "twake_amqp_messages_retried_total",
                       "Handler failures scheduled for another attempt, by queue")),
      dead_lettered_(counter(registry, "twake_amqp_messages_dead_lettered_total",
                             "Messages sent to the dead-letter queue, by queue and cause")),
      handling_(prometheus::BuildHistogram()
                    .Name("twake_amqp_message_handling_duration_seconds")
                    .Help("Duration of one handler run, by queue and outcome")
                    .Register(registry)),
      queue_messages_(prometheus::BuildGauge()
                          .Name("twake_amqp_queue_messages")
                          .Help("Messages waiting in a consumed or dead-letter queue, sampled at "
                                "each health check: the consumers' lag")
                          .Register(registry)),
      queue_consumers_(prometheus::BuildGauge()
                           .Name("twake_amqp_queue_consumers")
                           .Help("Consumers of a consumed queue, sampled at each health check")
                           .Register(registry)) {}

void ConsumerMetrics::received(const std::string& queue) {
    received_.Add({{"queue", queue}}).Increment();
}

void ConsumerMetrics::acked(const std::string& queue) {
    acked_.Add({{"queue", queue}}).Increment();
}

void ConsumerMetrics::retried(const std::string& queue) {
    retried_.Add({{"queue", queue}}).Increment();
}

void ConsumerMetrics::dead_lettered(const std::string& queue, std::string_view cause) {
    dead_lettered_.Add({{"queue", queue}, {"cause", std::string(cause)}}).Increment();
}

void ConsumerMetrics::handled(const std::string& queue, std::string_view outcome,
                              std::chrono::nanoseconds duration) {
    static const prometheus::Histogram::BucketBoundaries kBuckets{
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    handling_.Add({{"queue", queue}, {"outcome", std::string(outcome)}}, kBuckets)
        .Observe(std::chrono::duration<double>(duration).count());
}

void ConsumerMetrics::queue_state(const std::string& queue, double messages, double consumers) {
    queue_messages_.Add({{"queue", queue}}).Set(messages);
    queue_consumers_.Add({{"queue", queue}}).Set(consumers);
}

}  // namespace twake::amqp
