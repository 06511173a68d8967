#pragma once

// Which calendars a search may look in (docs/reference/rest-api.md §13.2): the caller's
// calendar list as esn-sabre answers it, each entry with the calendar whose events it shows
// (its own, a subscription's or a delegation's source). Pure, for unit tests.

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "worker/search/event_search_request.hpp"

namespace twake::search {

struct ListedCalendar {
    CalendarUrl listed;  // the entry of the caller's list
    CalendarUrl source;  // the calendar whose events it shows, as indexed
};

// The entries of esn-sabre's calendar list JSON (`_embedded["dav:calendar"]`); entries whose
// href is not a calendar are skipped. An empty or absent body is an empty list.
std::vector<ListedCalendar> listed_calendars(std::string_view list_json);

// The calendars searched for `requested`: each mapped to its entry's source (itself when not
// listed) and kept when the result is the source of some entry; each once, in request order.
std::vector<CalendarUrl> searched_calendars(const std::vector<CalendarUrl>& requested,
                                            const std::vector<ListedCalendar>& listed);

// "{home}/{calendar}" of a DAV href (`/calendars/{home}/{calendar}[.json][/]`), or nullopt.
std::optional<CalendarUrl> calendar_url_of_href(std::string_view href);

}  // namespace twake::search
