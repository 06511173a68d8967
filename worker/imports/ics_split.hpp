#pragma once

// An uploaded iCalendar file cut into what an import writes (docs/reference/rest-api.md §17.2):
// its VEVENTs grouped by UID (a master and its overrides make one calendar object) and its
// VTIMEZONEs by TZID, kept as places in the file rather than as parsed components, so that a
// large file costs little more than its own bytes. Each group is then parsed on its own.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace twake::imports {

struct TextSpan {
    size_t begin = 0;
    size_t end = 0;
};

struct EventGroup {
    std::string uid;
    std::vector<TextSpan> events;  // in file order
};

struct IcsLayout {
    std::vector<EventGroup> groups;             // in the order of each UID's first event
    std::map<std::string, TextSpan> timezones;  // VTIMEZONE by TZID (the first one wins)
};

// Throws errors::InvalidInput when the text is no iCalendar (no VCALENDAR, BEGIN and END that
// do not pair) or holds a VEVENT without UID: the file cannot be imported at all.
IcsLayout split_ics(std::string_view text);

// One group as a calendar object, or why it cannot be one.
struct GroupObject {
    std::string ics;      // VCALENDAR: VERSION, PRODID, the VTIMEZONEs used, the VEVENTs
    std::string problem;  // non-empty: not to be written
    // What the import report shows of a failed item (empty when absent).
    std::string summary;
    std::string start;  // DTSTART's value as written
    std::string end;
};

// Parses the group's events with libical leniently (an unreadable property is dropped, as
// X-LIC-ERROR shows) and refuses events left without DTSTART. Blocking (CPU).
GroupObject group_object(std::string_view text, const IcsLayout& layout, const EventGroup& group);

}  // namespace twake::imports
