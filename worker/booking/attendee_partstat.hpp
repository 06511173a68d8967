#pragma once

// An attendee's answer to an event is the PARTSTAT of its ATTENDEE line in a copy of the event:
// a resource's in its own copy (docs/reference/rabbitmq.md §3.6), and an invitee's through an
// e-mailed participation link (docs/reference/rest-api.md §16). The edit of that copy's
// iCalendar text, with libical.

#include <chrono>
#include <string>
#include <string_view>

namespace twake::booking {

struct PartstatEdit {
    enum class Outcome {
        Changed,        // `ical` is the new text
        Unchanged,      // every ATTENDEE of the address already has that PARTSTAT
        Cancelled,      // the event is STATUS:CANCELLED: nothing to answer
        NotAnAttendee,  // no VEVENT edited has an ATTENDEE with that address
    };
    Outcome outcome;
    std::string ical;
};

// Sets PARTSTAT=`partstat` on the ATTENDEE whose address is `address` (compared without
// `mailto:` and case-insensitively) in every VEVENT that lists it, leaving the rest of the
// object as it is. The first VEVENT's STATUS decides whether the event is cancelled.
// Throws std::invalid_argument when the text is not a calendar with a VEVENT.
PartstatEdit set_attendee_partstat(const std::string& ical, std::string_view address,
                                   std::string_view partstat);

// The answer of a participation link: the same, in the first VEVENT only (overrides of a
// recurring event keep theirs), and, when it changes, a new revision of that VEVENT:
// SEQUENCE incremented (1 when absent) and DTSTAMP `now`.
PartstatEdit answer_in_first_event(const std::string& ical, std::string_view address,
                                   std::string_view partstat, std::chrono::sys_seconds now);

}  // namespace twake::booking
