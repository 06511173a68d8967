#pragma once

// The next alarm of a calendar object for one user (docs/reference/alarms.md §2): which
// occurrence it belongs to, when it fires and whom it notifies. Pure: no storage, no clock.

#include <libical/ical.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace twake::alarms {

enum class AlarmAction { Email, Display };

// "EMAIL" or "DISPLAY".
const char* action_name(AlarmAction action);
// Case-insensitive; anything else (or empty) reads as Email, as stored rows without an
// action do.
AlarmAction action_from_name(const std::string& name);

struct NextAlarm {
    std::chrono::sys_seconds alarm_time;
    std::chrono::sys_seconds event_start;
    // The occurrence's RECURRENCE-ID as an iCalendar UTC date-time (20250601T080000Z) or date,
    // for an occurrence of a repeating event; nullopt otherwise.
    std::optional<std::string> recurrence_id;
    AlarmAction action = AlarmAction::Email;
    // The VALARM's ATTENDEE addresses (lower-cased) that are not attendees of the event.
    std::vector<std::string> recipients;
    bool recurring = false;
};

// The earliest alarm of `calendar` for `user` firing strictly after `after`, among the
// occurrences starting after `now` within a year: nullopt when there is none, when the calendar
// is cancelled or when it is no VCALENDAR.
std::optional<NextAlarm> next_alarm(icalcomponent* calendar, const std::string& user,
                                    std::chrono::sys_seconds now, std::chrono::sys_seconds after);

// The recipients of one row each (lower-cased): the owner for a DISPLAY alarm, the alarm's
// recipients for an EMAIL one (none when it names none).
std::vector<std::string> row_recipients(const NextAlarm& alarm, const std::string& owner);

}  // namespace twake::alarms
