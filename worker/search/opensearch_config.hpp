#pragma once

// Connection settings of `opensearch.properties` (James keys).

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "shared/config/properties.hpp"

namespace twake::search {

struct OpenSearchConfig {
    std::vector<std::string> base_urls;  // "http://host:9200", one per configured host
    std::optional<std::string> user;
    std::optional<std::string> password;
    std::chrono::milliseconds request_timeout{30000};
};

// Throws config::ConfigError naming the key at fault.
OpenSearchConfig read_opensearch_config(const config::Properties& props);

}  // namespace twake::search
