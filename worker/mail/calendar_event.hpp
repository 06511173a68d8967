#pragma once

// What a mail says about an event, read from the first VEVENT of an iTIP calendar with
// libical (docs/mail.md §5).

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace twake::mail {

struct Person {
    std::string name;  // CN, may be empty
    std::string email;
    std::string partstat;  // attendees only, upper-case
};

// A DTSTART or DTEND: an instant, or a calendar date for all-day events.
struct EventTime {
    std::chrono::sys_seconds instant{};
    std::optional<std::chrono::year_month_day> date;  // set for all-day values
};

struct CalendarEvent {
    std::string uid;
    std::optional<Person> organizer;
    std::vector<Person> attendees;  // individuals (not CUTYPE=RESOURCE), first of duplicates
    std::vector<Person> resources;  // CUTYPE=RESOURCE
    std::string summary;
    std::string location;
    std::string description;
    std::string comment;
    std::string video_conference_link;  // X-OPENPAAS-VIDEOCONFERENCE
    bool all_day = false;
    EventTime start;
    std::optional<EventTime> end;
};

// Throws std::invalid_argument when the text is no calendar or has no VEVENT.
CalendarEvent read_first_event(const std::string& ics);

// The calendar with its METHOD property set to `method` (the iTIP part of a mail).
std::string with_method(const std::string& ics, const std::string& method);

}  // namespace twake::mail
