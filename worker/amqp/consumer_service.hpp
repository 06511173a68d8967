#pragma once

// Runs the worker's consumers on a thread of its own (librabbitmq blocks): connects, declares
// the topology, consumes, hands each message to its handler on the event loop, then acks,
// retries or dead-letters it; reconnects and re-declares after any connection loss
// (docs/reference/rabbitmq.md §5–6).

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "worker/amqp/amqp_connection.hpp"
#include "worker/amqp/amqp_table.hpp"
#include "worker/amqp/consumer.hpp"
#include "worker/amqp/consumer_metrics.hpp"
#include "worker/amqp/retry_policy.hpp"

namespace twake::amqp {

class ConsumerService {
  public:
    ConsumerService(boost::asio::io_context& io, AmqpAddress address, RetryPolicy policy,
                    ConsumerMetrics& metrics);
    ~ConsumerService();  // stops and joins the thread; unacknowledged messages go back
    ConsumerService(const ConsumerService&) = delete;
    ConsumerService& operator=(const ConsumerService&) = delete;

    // Before start() only.
    void add(Consumer consumer);
    void start();
    // Returns at once; the thread ends within a poll interval.
    void stop();
    // Reconnects and consumes afresh (the CalendarQueueConsumers check found a queue without
    // consumer).
    void request_restart() { restart_requested_ = true; }

    // The queues consumed, and their dead-letter queues (what the health checks inspect).
    std::vector<std::string> work_queues() const;
    std::vector<std::string> dead_letter_queues() const;
    const AmqpAddress& address() const { return address_; }

  private:
    // One message of one connection, from delivery to settlement.
    struct Job {
        std::uint64_t generation = 0;
        std::uint64_t tag = 0;  // the delivery tag on channel 1
        const Consumer* consumer = nullptr;
        Delivery delivery;
    };
    struct Completion {
        std::shared_ptr<Job> job;
        HandlerOutcome outcome;
    };

    boost::asio::io_context& io_;
    AmqpAddress address_;
    RetryPolicy policy_;
    ConsumerMetrics& metrics_;
    std::vector<Consumer> consumers_;

    std::thread thread_;
    std::atomic<bool> stopping_{false};
    std::atomic<bool> restart_requested_{false};
    std::mutex mutex_;  // guards completions_, and the waits between connection attempts
    std::condition_variable wake_;
    std::deque<Completion> completions_;

    // Consumer thread only.
    std::uint64_t generation_ = 0;  // one per connection: delivery tags of older ones are void
    bool failing_ = false;          // the last connection attempt failed (logged already)
    std::multimap<std::chrono::steady_clock::time_point, std::shared_ptr<Job>> retries_;

    void run();
    void session();
    void consume(AmqpConnection& connection);
    void dispatch(const std::shared_ptr<Job>& job);
    void settle(AmqpConnection& connection, Completion& completion);
    // On the transactional channel 2: nothing is durable before commit().
    void publish(AmqpConnection& connection, const std::string& exchange, const std::string& body,
                 const std::string& content_type, const AmqpTable* headers);
    void commit(AmqpConnection& connection);
    void dead_letter(AmqpConnection& connection, const Job& job, const std::string& reason,
                     std::string_view cause);
    void wait(std::chrono::milliseconds delay);
};

}  // namespace twake::amqp
