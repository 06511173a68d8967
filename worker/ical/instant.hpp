#pragma once

// The instant an iCalendar time stands for. A TZID that names an IANA zone is converted with
// ICU's rules for that zone, as sabre/vobject maps known TZIDs to its own zones (and much faster
// than expanding the calendar's VTIMEZONE from 1970 on every call); another TZID through its
// VTIMEZONE (libical); a floating time as UTC; a date as its midnight UTC.

#include <libical/ical.h>

#include <chrono>
#include <optional>
#include <string>

namespace twake::ical {

std::chrono::sys_seconds instant_of(const icaltimetype& t);

// The instant of the wall-clock time `wall` (its zone ignored) in the IANA zone `zone_name`;
// nullopt when ICU does not know the zone.
std::optional<std::chrono::sys_seconds> instant_in(const icaltimetype& wall,
                                                   const std::string& zone_name);

// The IANA-style name of a time's zone ("UTC" for UTC, floating and dates).
std::string zone_name(const icaltimetype& t);

}  // namespace twake::ical
