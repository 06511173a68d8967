#pragma once

// The OpenSearch request of an event search (docs/reference/search.md §6): the calendars
// searched, the text, organizers and attendees, paging, and the collapsing that returns a
// recurring event once.

#include <string>
#include <vector>

#include "worker/search/opensearch_config.hpp"

namespace twake::search {

struct EventSearch {
    std::vector<std::string> calendar_urls;  // "{home}/{calendar}", already resolved
    std::string text;                        // blank: no text clause
    std::vector<std::string> organizers;     // addresses
    std::vector<std::string> attendees;
    int limit = 30;
    int offset = 0;
    std::string booking_link;  // empty: any
};

// The body of `POST {read alias}/_search`.
std::string event_search_body(const EventSearch& search, const EventsIndexConfig& config);

// Whether the text asks for query-string syntax: one of `"`, `~`, `|`, `*`, or a word
// starting with `-`.
bool uses_query_syntax(const std::string& text);

}  // namespace twake::search
