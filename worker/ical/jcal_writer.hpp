#pragma once

// iCalendar to jCal (RFC 7265), as esn-sabre's messages carry events: the reindex task reads
// objects as iCalendar text from the DAV server and indexes them with the code that reads
// messages (docs/reference/search.md §2).

#include <libical/ical.h>

#include "shared/json/json.hpp"

namespace twake::ical {

// `[name, [properties], [components]]` of a component and everything under it. Values are
// written in jCal's form for the types the worker reads (text, date, date-time, integer,
// cal-address, duration, utc-offset, recur, boolean, float); others as their iCalendar text.
json::Json to_jcal(icalcomponent* component);

}  // namespace twake::ical
