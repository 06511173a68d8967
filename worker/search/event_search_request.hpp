#pragma once

// The body and paging of `POST /calendar/api/events/search` (docs/reference/rest-api.md §13),
// checked. Pure, for unit tests.

#include <optional>
#include <string>
#include <vector>

namespace twake::search {

// A calendar as the index names it: "{home}/{calendar}" (the documents' `calendarURL`).
using CalendarUrl = std::string;

struct EventSearchRequest {
    std::vector<CalendarUrl> calendars;  // as requested, in order, each once
    std::string text;
    std::vector<std::string> organizers;  // bare addresses
    std::vector<std::string> attendees;
    std::optional<std::string> booking_link;  // a lower-case UUID
    int limit = 30;
    int offset = 0;
};

// The largest page, and how deep paging may go (OpenSearch's default result window).
constexpr int kMaxSearchLimit = 256;
constexpr int kMaxSearchWindow = 10000;

// Throws errors::InvalidInput with the text the client gets (docs/reference/rest-api.md §13).
// Blank `limit`/`offset` take their defaults.
EventSearchRequest read_event_search(std::string_view body, const std::optional<std::string>& limit,
                                     const std::optional<std::string>& offset);

}  // namespace twake::search
