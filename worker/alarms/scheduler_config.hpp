#pragma once

// The alarm scheduler's keys of configuration.properties (docs/configuration.md §2.1,
// docs/reference/alarms.md §4).

#include <chrono>

#include "shared/config/properties.hpp"

namespace twake::alarms {

// Disabled: no polling; Single: one worker sends, no lease; Cluster: leases in MongoDB.
enum class SchedulerMode { Disabled, Single, Cluster };

struct SchedulerConfig {
    SchedulerMode mode = SchedulerMode::Disabled;
    std::chrono::milliseconds poll_interval{60000};
    int batch_size = 1000;
    std::chrono::milliseconds initial_jitter_max{30000};
    std::chrono::seconds lease_ttl{60};
};

// alarm.event.scheduler.mode (disabled, single, cluster or its aliases distributed and multi;
// any case), .poll.interval and .initial.jitter.max (bare numbers are seconds, more than 0),
// .batch.size (1 to 100000), .lease.ttl (seconds, at least 1 s). Throws config::ConfigError
// naming the key.
SchedulerConfig read_scheduler_config(const config::Properties& p);

}  // namespace twake::alarms
