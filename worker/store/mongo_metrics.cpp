#include "worker/store/mongo_metrics.hpp"

#include <array>

namespace twake::store {

namespace {

constexpr std::array<const char*, 6> kBuckets{"find",   "insert",        "update",
                                              "delete", "findAndModify", "other"};

void on_started(const mongoc_apm_command_started_t* event) {
    auto* m = static_cast<MongoMetrics*>(mongoc_apm_command_started_get_context(event));
    m->started(mongoc_apm_command_started_get_command_name(event));
}

void on_succeeded(const mongoc_apm_command_succeeded_t* event) {
    auto* m = static_cast<MongoMetrics*>(mongoc_apm_command_succeeded_get_context(event));
    m->finished(mongoc_apm_command_succeeded_get_command_name(event),
                mongoc_apm_command_succeeded_get_duration(event), true);
}

void on_failed(const mongoc_apm_command_failed_t* event) {
    auto* m = static_cast<MongoMetrics*>(mongoc_apm_command_failed_get_context(event));
    m->finished(mongoc_apm_command_failed_get_command_name(event),
                mongoc_apm_command_failed_get_duration(event), false);
}

}  // namespace

MongoMetrics::MongoMetrics(prometheus::Registry& registry) {
    // Dropwizard quantiles over a sliding window, as upstream's timers.
    const prometheus::Summary::Quantiles quantiles{{0.5, 0.05},   {0.75, 0.02},  {0.95, 0.01},
                                                   {0.98, 0.005}, {0.99, 0.001}, {0.999, 0.0001}};
    for (const char* name : kBuckets) {
        std::string base = std::string("mongodb_command_") + name;
        auto& count = prometheus::BuildCounter()
                          .Name(base + "_count")
                          .Help("MongoDB " + std::string(name) + " commands started")
                          .Register(registry);
        auto& timer =
            prometheus::BuildSummary()
                .Name(base + "_timer")
                .Help("Latency of successful MongoDB " + std::string(name) + " commands, seconds")
                .Register(registry);
        upstream_[name] = {&count.Add({}), &timer.Add({}, quantiles, std::chrono::minutes(1), 5)};
    }
    durations_ = &prometheus::BuildHistogram()
                      .Name("twake_mongodb_command_duration_seconds")
                      .Help("Latency of MongoDB commands by command and outcome")
                      .Register(registry);
    errors_ = &prometheus::BuildCounter()
                   .Name("twake_mongodb_command_errors_total")
                   .Help("MongoDB commands that failed, by command")
                   .Register(registry);
}

void MongoMetrics::attach(MongoPool& pool) {
    mongoc_apm_callbacks_t* callbacks = mongoc_apm_callbacks_new();
    mongoc_apm_set_command_started_cb(callbacks, &on_started);
    mongoc_apm_set_command_succeeded_cb(callbacks, &on_succeeded);
    mongoc_apm_set_command_failed_cb(callbacks, &on_failed);
    pool.set_apm_callbacks(callbacks, this);
    mongoc_apm_callbacks_destroy(callbacks);  // the pool keeps its own copy
}

const std::string& MongoMetrics::bucket(const char* command) const {
    static const std::string other = "other";
    auto it = upstream_.find(command != nullptr ? command : "");
    return it != upstream_.end() ? it->first : other;
}

void MongoMetrics::started(const char* command) {
    upstream_.at(bucket(command)).count->Increment();
}

void MongoMetrics::finished(const char* command, int64_t duration_us, bool ok) {
    const std::string& name = bucket(command);
    double seconds = static_cast<double>(duration_us) / 1e6;
    if (ok) {
        upstream_.at(name).timer->Observe(seconds);
    } else {
        errors_->Add({{"command", name}}).Increment();
    }
    static const prometheus::Histogram::BucketBoundaries kBounds{0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                                 0.025,  0.05,  0.1,    0.25,  1};
    durations_->Add({{"command", name}, {"outcome", ok ? "success" : "failure"}}, kBounds)
        .Observe(seconds);
}

}  // namespace twake::store
