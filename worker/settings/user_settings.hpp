#pragma once

// A user's settings as the apps read them (docs/reference/rest-api.md §6): the key table of modules
// and keys, each resolved from the configuration file, a constant, or the user's stored value with
// a default. Pure: stored values come in, JSON goes out.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "shared/json/json.hpp"
#include "worker/config/worker_config.hpp"

namespace twake::settings {

// The (module, key) pairs of the table, in the order /api/user lists them.
const std::vector<std::pair<std::string, std::string>>& known_keys();

class UserSettings {
  public:
    // `stored` is the user's stored modules array (ConfigurationStore::read).
    UserSettings(const config::WorkerConfig& config, const cJSON* stored);

    // The value of a key: table keys resolved as the table says; other keys the stored value,
    // or JSON null.
    json::Json value(const std::string& module, const std::string& key) const;

    // Every table key grouped per module: [{"name":m,"configurations":[{"name":k,"value":v}]}].
    json::Json all() const;

    // The user's IANA time zone for the user object (docs/reference/rest-api.md §4.1): the stored
    // core.datetime.timeZone, else default.timezone when nothing is stored, else "UTC".
    std::string timezone() const;

    // The user's language (core.language stored, else default.language).
    std::string language() const;

  private:
    const config::WorkerConfig& config_;
    const cJSON* stored_;

    const cJSON* stored_value(const std::string& module, const std::string& key) const;
};

// Merges `incoming` modules into `stored` modules by (module, key), incoming winning; both in
// the stored shape. Used by PATCH /api/configurations.
json::Json merge_modules(const cJSON* stored, const cJSON* incoming);

// Validates a PUT/PATCH body (docs/reference/rest-api.md §6) and returns it normalised (duplicates
// of a (module, key) collapsed, last wins); nullopt when invalid.
std::optional<json::Json> parse_modules_body(const cJSON* body);

// Whether `name` looks like an IANA time-zone id (Area/Location, or UTC/GMT).
bool plausible_timezone(const std::string& name);

}  // namespace twake::settings
