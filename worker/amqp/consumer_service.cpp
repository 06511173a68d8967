#include "worker/amqp/consumer_service.hpp"

#include <boost/asio/co_spawn.hpp>

#include <amqp_framing.h>

#include <sys/time.h>

#include "shared/log/log.hpp"
#include "worker/amqp/amqp_table.hpp"
#include "worker/amqp/dead_letter.hpp"
#include "worker/amqp/delivery_wait.hpp"
#include "worker/amqp/topology_declarer.hpp"

namespace twake::amqp {

namespace {

const log::Logger kLog("worker.amqp.consumer");

constexpr amqp_channel_t kConsumeChannel = 1;
constexpr amqp_channel_t kPublishChannel = 2;  // transactional: dead letters are committed
constexpr auto kConnectTimeout = std::chrono::seconds(5);
// Between connection attempts: the broker back is consumed from within this (and the connect
// timeout) — docs/reference/rabbitmq.md §6.4.
constexpr auto kReconnectDelay = std::chrono::seconds(2);
// Longest wait for a frame: completions and due retries are settled at least this often.
constexpr auto kPollInterval = std::chrono::milliseconds(50);

std::string to_string(amqp_bytes_t bytes) {
    return {static_cast<const char*>(bytes.bytes), bytes.len};
}

std::string_view outcome_name(HandlerOutcome::Kind kind) {
    switch (kind) {
        case HandlerOutcome::Kind::Done:
            return "done";
        case HandlerOutcome::Kind::Retryable:
            return "retryable";
        case HandlerOutcome::Kind::Poison:
            return "poison";
    }
    return "unknown";
}

void expect_ok(int status, const char* what) {
    if (status != AMQP_STATUS_OK) {
        throw AmqpError(std::string(what) + ": " + amqp_error_string2(status));
    }
}

// Runs the handler and turns what it threw into an outcome. Parameters are references (GCC 12
// can destroy a by-value coroutine parameter twice); the caller keeps them alive.
// [[maybe_unused]]: GCC 12 reports a coroutine only used through co_spawn as unused.
[[maybe_unused]] runtime::Awaitable<HandlerOutcome> invoke(const Handler& handler,
                                                           const Delivery& delivery) {
    try {
        co_return co_await handler(delivery);
    } catch (...) {
        co_return classify(std::current_exception());
    }
}

}  // namespace

ConsumerService::ConsumerService(boost::asio::io_context& io, AmqpAddress address,
                                 RetryPolicy policy, ConsumerMetrics& metrics)
    : io_(io), address_(std::move(address)), policy_(policy), metrics_(metrics) {}

ConsumerService::~ConsumerService() {
    stop();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void ConsumerService::add(Consumer consumer) {
    consumers_.push_back(std::move(consumer));
}

void ConsumerService::start() {
    thread_ = std::thread([this] { run(); });
}

void ConsumerService::stop() {
    stopping_ = true;
    std::lock_guard lock(mutex_);
    wake_.notify_all();
}

std::vector<std::string> ConsumerService::work_queues() const {
    std::vector<std::string> names;
    for (const auto& c : consumers_) {
        names.push_back(c.queue.queue);
    }
    return names;
}

std::vector<std::string> ConsumerService::dead_letter_queues() const {
    std::vector<std::string> names;
    for (const auto& c : consumers_) {
        names.push_back(c.queue.dead_letter);
    }
    return names;
}

void ConsumerService::wait(std::chrono::milliseconds delay) {
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, delay, [this] { return stopping_.load(); });
}

void ConsumerService::run() {
    while (!stopping_) {
        try {
            session();
        } catch (const std::exception& e) {
            // Logged once per outage, not at every attempt.
            if (!failing_) {
                kLog.error("RabbitMQ connection lost or refused; reconnecting every 2 s",
                           {{"error", e.what()}});
            }
            failing_ = true;
            wait(kReconnectDelay);
        }
    }
}

void ConsumerService::session() {
    ++generation_;
    retries_.clear();  // their delivery tags died with the previous connection
    AmqpConnection connection(address_, kConnectTimeout);
    declare_exchanges(connection, calendar_exchanges());
    for (const auto& spec : calendar_queues()) {
        declare_queue(connection, spec);
    }
    for (const auto& c : consumers_) {
        declare_queue(connection, c.queue);  // idempotent for the calendar queues
    }
    connection.open_channel(kPublishChannel);
    amqp_tx_select(connection.get(), kPublishChannel);
    expect_normal(amqp_get_rpc_reply(connection.get()), "tx.select");
    for (const auto& c : consumers_) {
        // Not global: the prefetch applies to each consumer started after it.
        amqp_basic_qos(connection.get(), kConsumeChannel, 0, static_cast<std::uint16_t>(c.prefetch),
                       0);
        expect_normal(amqp_get_rpc_reply(connection.get()), "basic.qos");
        amqp_basic_consume(connection.get(), kConsumeChannel,
                           amqp_cstring_bytes(c.queue.queue.c_str()),
                           amqp_cstring_bytes(c.queue.queue.c_str()), /*no_local=*/0,
                           /*no_ack=*/0, /*exclusive=*/0, amqp_empty_table);
        expect_normal(amqp_get_rpc_reply(connection.get()), "basic.consume");
    }
    kLog.info("RabbitMQ topology declared; consuming",
              {{"consumers", std::to_string(consumers_.size())}});
    restart_requested_ = false;
    failing_ = false;
    consume(connection);
    if (!stopping_) {
        kLog.warn("Restarting the RabbitMQ consumers");
    }
}

void ConsumerService::consume(AmqpConnection& connection) {
    amqp_connection_state_t conn = connection.get();
    while (!stopping_ && !restart_requested_) {
        std::deque<Completion> done;
        {
            std::lock_guard lock(mutex_);
            done.swap(completions_);
        }
        for (auto& completion : done) {
            settle(connection, completion);
        }
        auto now = std::chrono::steady_clock::now();
        while (!retries_.empty() && retries_.begin()->first <= now) {
            std::shared_ptr<Job> job = retries_.begin()->second;
            retries_.erase(retries_.begin());
            ++job->delivery.attempt;
            dispatch(job);
        }

        amqp_envelope_t envelope;
        if (wait_for_delivery(conn, envelope, kPollInterval)) {
            auto job = std::make_shared<Job>();
            job->generation = generation_;
            job->tag = envelope.delivery_tag;
            std::string tag = to_string(envelope.consumer_tag);
            for (const auto& c : consumers_) {
                if (c.queue.queue == tag) {
                    job->consumer = &c;
                }
            }
            job->delivery.queue = tag;
            job->delivery.exchange = to_string(envelope.exchange);
            job->delivery.body = to_string(envelope.message.body);
            if (envelope.message.properties._flags & AMQP_BASIC_CONTENT_TYPE_FLAG) {
                job->delivery.content_type = to_string(envelope.message.properties.content_type);
            }
            job->delivery.redelivered = envelope.redelivered != 0;
            amqp_destroy_envelope(&envelope);
            if (job->consumer == nullptr) {
                throw AmqpError("delivery for an unknown consumer tag '" + tag + "'");
            }
            metrics_.received(tag);
            dispatch(job);
        }
    }
}

void ConsumerService::dispatch(const std::shared_ptr<Job>& job) {
    // The completion handler holds the job: it outlives the coroutine that reads it.
    boost::asio::co_spawn(io_, invoke(job->consumer->handler, job->delivery),
                          [this, job, started = std::chrono::steady_clock::now()](
                              std::exception_ptr error, HandlerOutcome outcome) {
                              if (error) {
                                  outcome = classify(error);
                              }
                              metrics_.handled(job->delivery.queue, outcome_name(outcome.kind),
                                               std::chrono::steady_clock::now() - started);
                              std::lock_guard lock(mutex_);
                              completions_.push_back({job, std::move(outcome)});
                          });
}

void ConsumerService::settle(AmqpConnection& connection, Completion& completion) {
    const Job& job = *completion.job;
    if (job.generation != generation_) {
        return;  // its connection is gone: the broker delivers the message again
    }
    const std::string& queue = job.delivery.queue;
    const HandlerOutcome& outcome = completion.outcome;
    switch (outcome.kind) {
        case HandlerOutcome::Kind::Done:
            if (!outcome.publications.empty()) {
                for (const auto& p : outcome.publications) {
                    publish(connection, p.exchange, p.body, "application/json", nullptr);
                }
                commit(connection);
            }
            expect_ok(amqp_basic_ack(connection.get(), kConsumeChannel, job.tag, 0), "basic.ack");
            metrics_.acked(queue);
            return;
        case HandlerOutcome::Kind::Poison:
            dead_letter(connection, job, outcome.reason, "poison");
            return;
        case HandlerOutcome::Kind::Retryable:
            if (!policy_.retries_left(job.delivery.attempt)) {
                dead_letter(connection, job, exhausted_reason(outcome.reason, job.delivery.attempt),
                            "retries_exhausted");
                return;
            }
            auto delay = policy_.delay_before(job.delivery.attempt);
            kLog.warn("Message handling failed; retrying",
                      {{"queue", queue},
                       {"attempt", std::to_string(job.delivery.attempt)},
                       {"delayMs", std::to_string(delay.count())},
                       {"error", outcome.reason}});
            metrics_.retried(queue);
            retries_.emplace(std::chrono::steady_clock::now() + delay, completion.job);
            return;
    }
}

void ConsumerService::publish(AmqpConnection& connection, const std::string& exchange,
                              const std::string& body, const std::string& content_type,
                              const AmqpTable* headers) {
    amqp_basic_properties_t properties{};
    properties._flags = AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_CONTENT_TYPE_FLAG;
    properties.delivery_mode = 2;  // persistent
    properties.content_type = amqp_cstring_bytes(content_type.c_str());
    if (headers != nullptr) {
        properties._flags |= AMQP_BASIC_HEADERS_FLAG;
        properties.headers = headers->get();
    }
    amqp_bytes_t bytes{body.size(), const_cast<char*>(body.data())};
    expect_ok(amqp_basic_publish(connection.get(), kPublishChannel,
                                 amqp_cstring_bytes(exchange.c_str()), amqp_cstring_bytes(""),
                                 /*mandatory=*/0, /*immediate=*/0, &properties, bytes),
              "basic.publish");
}

void ConsumerService::commit(AmqpConnection& connection) {
    amqp_tx_commit(connection.get(), kPublishChannel);
    expect_normal(amqp_get_rpc_reply(connection.get()), "tx.commit");
}

void ConsumerService::dead_letter(AmqpConnection& connection, const Job& job,
                                  const std::string& reason, std::string_view cause) {
    const std::string& exchange = job.consumer->queue.dead_letter;
    AmqpTable headers(dead_letter_headers(job.delivery.queue, reason, job.delivery.attempt));
    publish(connection, exchange, job.delivery.body,
            job.delivery.content_type.empty() ? "application/json" : job.delivery.content_type,
            &headers);
    // Committed before the ack: a crash in between leaves a copy, never no copy.
    commit(connection);
    expect_ok(amqp_basic_ack(connection.get(), kConsumeChannel, job.tag, 0), "basic.ack");
    metrics_.dead_lettered(job.delivery.queue, cause);
    kLog.warn("Message dead-lettered", {{"queue", job.delivery.queue},
                                        {"deadLetterQueue", exchange},
                                        {"attempts", std::to_string(job.delivery.attempt)},
                                        {"reason", reason}});
}

}  // namespace twake::amqp
