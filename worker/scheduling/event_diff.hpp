#pragma once

// What changed for one recipient between the previous and the new version of an event
// (docs/reference/rabbitmq.md §3.4): whether a notification is due, whether it is an
// invitation for them, and the `changes` member of the notification.

#include <libical/ical.h>

#include <optional>
#include <string>
#include <vector>

#include "shared/json/json.hpp"

namespace twake::scheduling {

struct EventDiff {
    icalcomponent* event = nullptr;  // the new version, owned by its calendar
    bool new_event = false;          // the recipient did not attend the previous version
    // summary, location, description: {previous, current}; dtstart, dtend: {previous, current}
    // as date-time objects. Absent when none of them changed.
    std::optional<json::Json> changes;
};

// Both versions single events (their first VEVENT). nullopt: nothing to tell the recipient.
// A cancellation is always told to a recipient of either version.
std::optional<EventDiff> single_event_diff(const std::string& recipient, icalcomponent* calendar,
                                           icalcomponent* old_calendar, bool cancellation);

// One diff per event of the new calendar that the recipient must hear about, each compared
// with the previous event of the same RECURRENCE-ID, else with the previous master's instance
// at that time, else with the previous master.
std::vector<EventDiff> recurring_diffs(const std::string& recipient, icalcomponent* calendar,
                                       icalcomponent* old_calendar, bool cancellation);

// A DTSTART or DTEND as the notification carries it: {"isAllDay", "date" (local time in its
// zone, `yyyy-MM-dd HH:mm:ss.000000`), "timezone_type":3, "timezone"}.
json::Json date_time_json(const icaltimetype& t);

}  // namespace twake::scheduling
