// The alarm.event.scheduler.* keys (worker/alarms/scheduler_config.hpp,
// docs/reference/alarms.md §4).

#include <gtest/gtest.h>

#include "shared/config/config_error.hpp"
#include "worker/alarms/scheduler_config.hpp"

namespace {

using namespace std::chrono;
using twake::alarms::read_scheduler_config;
using twake::alarms::SchedulerMode;
using twake::config::ConfigError;
using twake::config::Properties;

twake::alarms::SchedulerConfig read(const std::string& text) {
    return read_scheduler_config(Properties::parse(text, "configuration.properties"));
}

TEST(AlarmSchedulerConfig, Defaults) {
    auto c = read("");
    EXPECT_EQ(c.mode, SchedulerMode::Disabled);
    EXPECT_EQ(c.poll_interval, seconds(60));
    EXPECT_EQ(c.batch_size, 1000);
    EXPECT_EQ(c.initial_jitter_max, seconds(30));
    EXPECT_EQ(c.lease_ttl, seconds(60));
}

TEST(AlarmSchedulerConfig, ModesAndUnits) {
    EXPECT_EQ(read("alarm.event.scheduler.mode=SINGLE").mode, SchedulerMode::Single);
    EXPECT_EQ(read("alarm.event.scheduler.mode=distributed").mode, SchedulerMode::Cluster);
    EXPECT_EQ(read("alarm.event.scheduler.mode=multi").mode, SchedulerMode::Cluster);
    auto c = read(
        "alarm.event.scheduler.poll.interval=5\nalarm.event.scheduler.initial.jitter.max=500ms\n"
        "alarm.event.scheduler.batch.size=10\nalarm.event.scheduler.lease.ttl=2m");
    EXPECT_EQ(c.poll_interval, seconds(5));
    EXPECT_EQ(c.initial_jitter_max, milliseconds(500));
    EXPECT_EQ(c.batch_size, 10);
    EXPECT_EQ(c.lease_ttl, seconds(120));
}

TEST(AlarmSchedulerConfig, BadValuesNameTheirKey) {
    for (const char* text :
         {"alarm.event.scheduler.mode=sometimes", "alarm.event.scheduler.poll.interval=0",
          "alarm.event.scheduler.batch.size=0", "alarm.event.scheduler.lease.ttl=10ms"}) {
        try {
            read(text);
            ADD_FAILURE() << text;
        } catch (const ConfigError& e) {
            std::string key(text, std::string(text).find('='));
            EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
        }
    }
}

}  // namespace
