#pragma once

// libical behind RAII: an owned VCALENDAR parsed from text, and the few reads the worker
// makes of its events (mail, scheduling).

#include <libical/ical.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace twake::ical {

struct ComponentDelete {
    void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
// An owned component (a VCALENDAR, or a VEVENT not yet added to one).
using Component = std::unique_ptr<icalcomponent, ComponentDelete>;

// Throws std::invalid_argument when the text is not a VCALENDAR.
Component parse_calendar(const std::string& ics);

// The iCalendar text of a component (CRLF line ends, folded).
std::string serialize(const icalcomponent* component);

// The VEVENTs of a calendar, in order; owned by the calendar.
std::vector<icalcomponent*> vevents(icalcomponent* calendar);

// The unescaped text of the first property of `kind` (SUMMARY, LOCATION…); empty when absent.
std::string text_of(icalcomponent* event, icalproperty_kind kind);

// The value of the first X- property named `name`; empty when absent.
std::string x_property(icalcomponent* event, const char* name);

// A calendar address without its `mailto:` prefix (case kept).
std::string address_of(const char* cal_address);

// The bare address, as calendar addresses are compared: `<`, `>`, surrounding spaces and a
// `mailto:` prefix removed, lower-cased; nullopt when no address is left (no `@` between
// characters).
std::optional<std::string> bare_address(std::string_view address);
// The same for a property's value as libical gives it (nullptr: none).
std::optional<std::string> bare_address(const char* cal_address);

// The value of a parameter of `p` as written (PARTSTAT=ACCEPTED → "ACCEPTED"); empty when
// absent.
std::string parameter(icalproperty* p, icalparameter_kind kind);

// The RECURRENCE-ID as written (its iCalendar value), nullopt for a master or single event.
std::optional<std::string> recurrence_id_text(icalcomponent* event);

// Whether the event repeats (RRULE or RDATE) or is an instance of one (RECURRENCE-ID).
bool is_recurring(icalcomponent* event);

}  // namespace twake::ical
