#include "worker/alarms/scheduler_config.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

#include "shared/config/config_error.hpp"
#include "shared/config/duration.hpp"

namespace twake::alarms {

namespace {

using config::ConfigError;

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::chrono::milliseconds positive_duration(const config::Properties& p, const char* key,
                                            std::chrono::milliseconds fallback) {
    auto v = p.get(key);
    if (!v) {
        return fallback;
    }
    auto d = config::parse_duration(*v, config::DurationUnit::Seconds, p.origin() + ": " + key);
    if (d.count() <= 0) {
        throw ConfigError(p.origin() + ": '" + key + "' must be more than 0");
    }
    return d;
}

}  // namespace

SchedulerConfig read_scheduler_config(const config::Properties& p) {
    SchedulerConfig c;
    if (auto mode = p.get("alarm.event.scheduler.mode")) {
        const std::string m = lower(*mode);
        if (m == "disabled") {
            c.mode = SchedulerMode::Disabled;
        } else if (m == "single") {
            c.mode = SchedulerMode::Single;
        } else if (m == "cluster" || m == "distributed" || m == "multi") {
            c.mode = SchedulerMode::Cluster;
        } else {
            throw ConfigError(p.origin() + ": 'alarm.event.scheduler.mode' = '" + *mode +
                              "': expected disabled, single or cluster");
        }
    }
    c.poll_interval = positive_duration(p, "alarm.event.scheduler.poll.interval", c.poll_interval);
    c.initial_jitter_max =
        positive_duration(p, "alarm.event.scheduler.initial.jitter.max", c.initial_jitter_max);
    c.lease_ttl = std::chrono::duration_cast<std::chrono::seconds>(
        positive_duration(p, "alarm.event.scheduler.lease.ttl", c.lease_ttl));
    if (c.lease_ttl.count() < 1) {
        throw ConfigError(p.origin() + ": 'alarm.event.scheduler.lease.ttl' must be at least 1s");
    }
    if (auto size = p.get("alarm.event.scheduler.batch.size")) {
        int n = 0;
        auto [end, ec] = std::from_chars(size->data(), size->data() + size->size(), n);
        if (ec != std::errc() || end != size->data() + size->size() || n < 1 || n > 100000) {
            throw ConfigError(p.origin() + ": 'alarm.event.scheduler.batch.size' = '" + *size +
                              "': expected a number between 1 and 100000");
        }
        c.batch_size = n;
    }
    return c;
}

}  // namespace twake::alarms
