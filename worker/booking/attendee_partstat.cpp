#include "worker/booking/attendee_partstat.hpp"

#include <stdexcept>

#include "shared/identity/address.hpp"
#include "worker/ical/calendar.hpp"

namespace twake::booking {

namespace {

struct Marked {
    bool listed = false;
    bool changed = false;
};

// Sets the PARTSTAT of `address`'s ATTENDEE lines in one VEVENT.
Marked mark_attendee(icalcomponent* event, std::string_view address, const std::string& wanted) {
    Marked out;
    for (icalproperty* p = icalcomponent_get_first_property(event, ICAL_ATTENDEE_PROPERTY);
         p != nullptr; p = icalcomponent_get_next_property(event, ICAL_ATTENDEE_PROPERTY)) {
        if (!identity::equal_ignoring_case(ical::address_of(icalproperty_get_attendee(p)),
                                           address)) {
            continue;
        }
        out.listed = true;
        if (identity::equal_ignoring_case(ical::parameter(p, ICAL_PARTSTAT_PARAMETER), wanted)) {
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
        out.changed = true;
    }
    return out;
}

// The VEVENTs of `calendar`. Throws std::invalid_argument without a VEVENT.
std::vector<icalcomponent*> answerable_events(icalcomponent* calendar) {
    auto events = ical::vevents(calendar);
    if (events.empty()) {
        throw std::invalid_argument("the calendar has no VEVENT");
    }
    return events;
}

bool cancelled(const std::vector<icalcomponent*>& events) {
    return icalcomponent_get_status(events.front()) == ICAL_STATUS_CANCELLED;
}

PartstatEdit outcome_of(const Marked& marked, icalcomponent* calendar) {
    if (!marked.listed) {
        return {PartstatEdit::Outcome::NotAnAttendee, {}};
    }
    if (!marked.changed) {
        return {PartstatEdit::Outcome::Unchanged, {}};
    }
    return {PartstatEdit::Outcome::Changed, ical::serialize(calendar)};
}

}  // namespace

PartstatEdit set_attendee_partstat(const std::string& ical, std::string_view address,
                                   std::string_view partstat) {
    ical::Component calendar = ical::parse_calendar(ical);
    auto events = answerable_events(calendar.get());
    if (cancelled(events)) {
        return {PartstatEdit::Outcome::Cancelled, {}};
    }
    const std::string wanted(partstat);
    Marked all;
    for (icalcomponent* event : events) {
        Marked one = mark_attendee(event, address, wanted);
        all.listed = all.listed || one.listed;
        all.changed = all.changed || one.changed;
    }
    return outcome_of(all, calendar.get());
}

PartstatEdit answer_in_first_event(const std::string& ical, std::string_view address,
                                   std::string_view partstat, std::chrono::sys_seconds now) {
    ical::Component calendar = ical::parse_calendar(ical);
    auto events = answerable_events(calendar.get());
    if (cancelled(events)) {
        return {PartstatEdit::Outcome::Cancelled, {}};
    }
    icalcomponent* first = events.front();
    Marked marked = mark_attendee(first, address, std::string(partstat));
    if (marked.changed) {
        icalproperty* sequence = icalcomponent_get_first_property(first, ICAL_SEQUENCE_PROPERTY);
        if (sequence == nullptr) {
            icalcomponent_add_property(first, icalproperty_new_sequence(1));
        } else {
            icalproperty_set_sequence(sequence, icalproperty_get_sequence(sequence) + 1);
        }
        const icaltimetype stamp =
            icaltime_from_timet_with_zone(static_cast<time_t>(now.time_since_epoch().count()), 0,
                                          icaltimezone_get_utc_timezone());
        icalproperty* dtstamp = icalcomponent_get_first_property(first, ICAL_DTSTAMP_PROPERTY);
        if (dtstamp == nullptr) {
            icalcomponent_add_property(first, icalproperty_new_dtstamp(stamp));
        } else {
            icalproperty_set_dtstamp(dtstamp, stamp);
        }
    }
    return outcome_of(marked, calendar.get());
}

}  // namespace twake::booking
