#pragma once

// The events index's settings and mapping (docs/reference/search.md §3), and how an existing
// index's mapping compares with it.

#include <optional>
#include <string>
#include <string_view>

#include "worker/search/opensearch_config.hpp"

namespace twake::search {

// The body of `PUT /{index}`: settings, analysis and mapping.
std::string events_index_body(const EventsIndexConfig& config);

// The first field an existing index maps otherwise than the events' mapping (a different
// type, or a text field where a keyword is expected…), described for an operator:
// "'start' is 'text', expected 'date'". nullopt when they agree (fields missing from
// `mapping_response`, the answer of `GET /{index}/_mapping`, agree: OpenSearch adds them).
std::optional<std::string> events_mapping_conflict(const EventsIndexConfig& config,
                                                   std::string_view mapping_response);

}  // namespace twake::search
