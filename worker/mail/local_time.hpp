#pragma once

// Dates and times as a recipient reads them: in their language and time zone, through ICU's
// locale data (docs/mail.md §5.3).

#include <chrono>
#include <string>

#include "worker/mail/calendar_event.hpp"

namespace twake::mail {

struct LocalTime {
    std::string date;            // 2025-06-02
    std::string time;            // 14:30 (empty for all-day values)
    std::string full_date;       // Monday, June 2, 2025 / lundi 2 juin 2025
    std::string full_date_time;  // the full date and the time
    std::string timezone;        // the zone the time is shown in
};

// `language` is a BCP 47 tag (en, fr, fr-CA); `timezone` an IANA zone, UTC when ICU does
// not know it. An all-day value keeps its calendar date whatever the zone.
LocalTime local_time(const EventTime& value, const std::string& language,
                     const std::string& timezone);

// Whether ICU knows the zone.
bool known_timezone(const std::string& timezone);

}  // namespace twake::mail
