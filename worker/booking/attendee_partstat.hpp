#pragma once

// A resource answers a booking by the PARTSTAT of its ATTENDEE line in its own copy of the
// event (docs/reference/rabbitmq.md §3.6): the edit of that copy's iCalendar text, with libical.

#include <string>
#include <string_view>

namespace twake::booking {

struct PartstatEdit {
    enum class Outcome {
        Changed,        // `ical` is the new text
        Unchanged,      // every ATTENDEE of the address already has that PARTSTAT
        Cancelled,      // the event is STATUS:CANCELLED: nothing to answer
        NotAnAttendee,  // no VEVENT has an ATTENDEE with that address
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

}  // namespace twake::booking
