#include "worker/booking/attendee_partstat.hpp"

#include <stdexcept>

#include "shared/identity/address.hpp"
#include "worker/ical/calendar.hpp"

namespace twake::booking {

PartstatEdit set_attendee_partstat(const std::string& ical, std::string_view address,
                                   std::string_view partstat) {
    ical::Component calendar = ical::parse_calendar(ical);
    auto events = ical::vevents(calendar.get());
    if (events.empty()) {
        throw std::invalid_argument("the calendar has no VEVENT");
    }
    if (icalcomponent_get_status(events.front()) == ICAL_STATUS_CANCELLED) {
        return {PartstatEdit::Outcome::Cancelled, {}};
    }
    const std::string wanted(partstat);
    bool listed = false;
    bool changed = false;
    for (icalcomponent* event : events) {
        for (icalproperty* p = icalcomponent_get_first_property(event, ICAL_ATTENDEE_PROPERTY);
             p != nullptr; p = icalcomponent_get_next_property(event, ICAL_ATTENDEE_PROPERTY)) {
            if (!identity::equal_ignoring_case(ical::address_of(icalproperty_get_attendee(p)),
                                               address)) {
                continue;
            }
            listed = true;
            if (identity::equal_ignoring_case(ical::parameter(p, ICAL_PARTSTAT_PARAMETER),
                                              wanted)) {
                continue;
            }
            icalparameter* value =
                icalparameter_new_from_value_string(ICAL_PARTSTAT_PARAMETER, wanted.c_str());
            if (value != nullptr && icalparameter_get_partstat(value) == ICAL_PARTSTAT_X) {
                icalparameter_free(value);  // an X- value: not one of RFC 5545's
                value = nullptr;
            }
            if (value == nullptr) {
                throw std::invalid_argument("not a participation status: " + wanted);
            }
            icalproperty_set_parameter(p, value);  // replaces the old PARTSTAT
            changed = true;
        }
    }
    if (!listed) {
        return {PartstatEdit::Outcome::NotAnAttendee, {}};
    }
    if (!changed) {
        return {PartstatEdit::Outcome::Unchanged, {}};
    }
    return {PartstatEdit::Outcome::Changed, ical::serialize(calendar.get())};
}

}  // namespace twake::booking
