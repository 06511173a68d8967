#pragma once

// MongoDB command metrics, fed by the driver's command monitoring (APM) callbacks:
// upstream's names (`mongodb_command_<name>_count` counted at start, `mongodb_command_<name>_timer`
// summary on success; name ∈ find, insert, update, delete, findAndModify, other) and, beside
// them, `twake_mongodb_command_duration_seconds{command,outcome}` and
// `twake_mongodb_command_errors_total{command}` to alert on.

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/summary.h>

#include <map>
#include <string>

#include "worker/store/mongo_pool.hpp"

namespace twake::store {

class MongoMetrics {
  public:
    explicit MongoMetrics(prometheus::Registry& registry);

    // Installs the callbacks on every client of the pool (call before the first command).
    void attach(MongoPool& pool);

    // For the callbacks (driver threads): one started / finished command.
    void started(const char* command);
    void finished(const char* command, int64_t duration_us, bool ok);

  private:
    struct Upstream {
        prometheus::Counter* count;
        prometheus::Summary* timer;
    };
    std::map<std::string, Upstream> upstream_;  // filled at construction, read-only after
    prometheus::Family<prometheus::Histogram>* durations_;
    prometheus::Family<prometheus::Counter>* errors_;

    const std::string& bucket(const char* command) const;
};

}  // namespace twake::store
