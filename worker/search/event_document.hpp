#pragma once

// The OpenSearch documents of an esn-sabre event message (docs/reference/search.md §2): one
// per VEVENT (single event, recurring master, overridden occurrence).

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace twake::search {

// A message that can never give documents (no JSON, a bad eventPath, no jCal, no UID).
class InvalidEventMessage : public std::invalid_argument {
  public:
    using std::invalid_argument::invalid_argument;
};

// `/calendars/{home}/{calendar}/{file}` split; throws InvalidEventMessage otherwise.
struct EventPath {
    std::string home;      // baseCalendarId, also the routing key
    std::string calendar;  // calendarId
    std::string file;      // resourceName
    std::string calendar_url() const { return home + "/" + calendar; }
};
EventPath parse_event_path(std::string_view path);

struct EventDocument {
    std::string id;  // {home}:{calendar}:{uid}:single | :master | :recurrence:{recurrence id}
    std::string routing;
    std::string calendar_url;
    std::string uid;
    bool recurrent_master = false;  // the master of a recurring event
    std::optional<long long> sequence;
    std::string source;  // the document's JSON
};

// The documents of a created or updated message; none for a message without VEVENT.
std::vector<EventDocument> documents_of_message(std::string_view body);

// The documents of a calendar object read from the DAV server (the reindex task), from its
// iCalendar text: the same documents as a message carrying it as jCal. Throws
// InvalidEventMessage when the text is not a VCALENDAR or a VEVENT has no UID.
std::vector<EventDocument> documents_of_object(const EventPath& path, const std::string& ics);

// What a deleted message removes: every document of these UIDs in that calendar.
struct DeletedEvents {
    EventPath path;
    std::vector<std::string> uids;
};
DeletedEvents deleted_events_of_message(std::string_view body);

}  // namespace twake::search
