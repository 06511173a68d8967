#pragma once

// The times of a repeating event (docs/reference/rabbitmq.md §3.4): its excluded instances, an
// instance made from the master, and whether any occurrence is still to come.

#include <libical/ical.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "worker/ical/calendar.hpp"

namespace twake::scheduling {

// The time of a date or date-time property (DTSTART, RECURRENCE-ID, EXDATE) with its TZID
// resolved against the calendar's VTIMEZONEs, else libical's built-in zones.
icaltimetype property_time(icalcomponent* calendar, icalproperty* p);

// A key equal for the same instant (or the same date for date values), whatever the zone.
std::string instant_key(const icaltimetype& t);

// The key of an event's RECURRENCE-ID; nullopt for a master or single event.
std::optional<std::string> recurrence_key(icalcomponent* calendar, icalcomponent* event);

struct RecurIteratorFree {
    void operator()(icalrecur_iterator* i) const { icalrecur_iterator_free(i); }
};
using RecurIterator = std::unique_ptr<icalrecur_iterator, RecurIteratorFree>;

// An iterator over `rule`'s instances from `start`, moved on to a day before `from` when the
// rule allows it (no COUNT): only instances from `from` on are wanted, and an old DTSTART
// otherwise costs every candidate since then. Null when the rule is invalid: libical refuses
// it, or it has a BYDAY ordinal with a frequency other than MONTHLY or YEARLY, on which libical
// 3.0 loops for seconds (a fuzzing finding, t/fuzz/ics/finding-hourly-rule-since-1970.ics).
RecurIterator recurrence_from(const icalrecurrencetype& rule, icaltimetype start,
                              std::chrono::sys_seconds from);

// The EXDATE values of a master event.
std::vector<icaltimetype> exdates(icalcomponent* calendar, icalcomponent* master);

// The instance of `master` starting at `start` (its original start): the master's copy with
// that DTSTART, the same duration, RECURRENCE-ID set and no recurrence rule.
ical::Component instance_of(icalcomponent* master, icaltimetype start);

// instance_of, marked STATUS:CANCELLED.
ical::Component cancelled_instance(icalcomponent* master, icaltimetype start);

// Whether the first event of the calendar text is over: a single event that started before
// `now`, a repeating one with no occurrence from `now` on (an endless rule never is). Text that
// cannot be read is not over.
bool is_over(const std::string& ics, std::chrono::sys_seconds now);

}  // namespace twake::scheduling
