// Configuration files an operator writes: the `.properties` syntax, durations and sizes, and
// the worker's reading of every key it knows from one file's text.

#include "shared/config/config_error.hpp"
#include "shared/config/duration.hpp"
#include "shared/config/properties.hpp"
#include "t/fuzz/fuzz_target.hpp"
#include "worker/alarms/scheduler_config.hpp"
#include "worker/search/opensearch_config.hpp"

namespace config = twake::config;

TWAKE_FUZZ_TARGET(properties) {
    // No real environment: `${env:…}` of the input resolves to a constant or nothing.
    auto env = [](const std::string& name) -> std::optional<std::string> {
        return name.size() % 2 == 0 ? std::optional<std::string>("value") : std::nullopt;
    };
    twake::fuzz::refused_as<config::ConfigError>([&] {
        auto props = config::Properties::parse(input, "fuzz.properties", env);
        for (const auto& [key, value] : props.entries()) {
            (void)props.list(key);
            try {
                (void)config::parse_duration(value, config::DurationUnit::Seconds, key);
            } catch (const config::ConfigError&) {
            }
        }
        try {
            (void)twake::search::read_opensearch_config(props);
        } catch (const config::ConfigError&) {
        }
        try {
            (void)twake::alarms::read_scheduler_config(props);
        } catch (const config::ConfigError&) {
        }
    });
}
