#pragma once

// Connection settings of `opensearch.properties` (James keys).

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "shared/config/properties.hpp"

namespace twake::search {

// The events index and its aliases (docs/reference/search.md §3).
struct EventsIndexConfig {
    std::string index = "calendar-events";
    std::string read_alias = "calendar-events-read";
    std::string write_alias = "calendar-events-write";
    int min_ngram = 3;
    int max_ngram_diff = 4;
    int shards = 5;
    int replicas = 1;
    bool summary_search_prefix = true;
    bool fuzzy_search = false;
    bool query_string_query = true;
};

// Twake Mail's contact indices, read by people search through their read aliases
// (docs/reference/search.md §7); Twake Mail creates and writes them, the worker never does.
struct ContactIndicesConfig {
    std::string user_read_alias = "user_contact_read_alias";
    std::string domain_read_alias = "domain_contact_read_alias";
};

struct OpenSearchConfig {
    std::vector<std::string> base_urls;  // "http://host:9200", one per configured host
    std::optional<std::string> user;
    std::optional<std::string> password;
    std::chrono::milliseconds request_timeout{30000};
    // https: `opensearch.hostScheme.https.sslValidationStrategy` ignore turns certificate
    // checks off, `…hostNameVerifier` accept_any_hostname the name check; a PEM CA file.
    bool verify_peer = true;
    bool verify_host = true;
    std::string ca_file;
    EventsIndexConfig events;
    ContactIndicesConfig contacts;
};

// Throws config::ConfigError naming the key at fault.
OpenSearchConfig read_opensearch_config(const config::Properties& props);

}  // namespace twake::search
