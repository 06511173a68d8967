#include "worker/mail/calendar_event.hpp"

#include <cctype>
#include <memory>
#include <stdexcept>

#include "shared/identity/address.hpp"
#include "worker/ical/calendar.hpp"
#include "worker/ical/instant.hpp"

namespace twake::mail {

namespace {

using ical::address_of;
using ical::parameter;
using ical::text_of;
using ical::x_property;

Person person(icalproperty* p, const char* value) {
    Person out;
    out.email = address_of(value);
    if (icalparameter* cn = icalproperty_get_first_parameter(p, ICAL_CN_PARAMETER)) {
        out.name = icalparameter_get_cn(cn) != nullptr ? icalparameter_get_cn(cn) : "";
    }
    out.partstat = parameter(p, ICAL_PARTSTAT_PARAMETER);
    for (auto& ch : out.partstat) {
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
    return out;
}

EventTime event_time(icaltimetype t) {
    EventTime out;
    if (t.is_date) {
        out.date = std::chrono::year_month_day(std::chrono::year(t.year),
                                               std::chrono::month(static_cast<unsigned>(t.month)),
                                               std::chrono::day(static_cast<unsigned>(t.day)));
        out.instant = std::chrono::sys_days(*out.date);
        return out;
    }
    // A floating time (no zone) is read as UTC: a mail has no better reference.
    out.instant = ical::instant_of(t);
    return out;
}

bool contains(const std::vector<Person>& people, const std::string& email) {
    for (const auto& p : people) {
        if (identity::lower(p.email) == identity::lower(email)) {
            return true;
        }
    }
    return false;
}

}  // namespace

CalendarEvent read_first_event(const std::string& ics) {
    ical::Component calendar = ical::parse_calendar(ics);
    icalcomponent* event = icalcomponent_get_first_component(calendar.get(), ICAL_VEVENT_COMPONENT);
    if (event == nullptr) {
        throw std::invalid_argument("the calendar has no VEVENT");
    }
    CalendarEvent out;
    out.uid = text_of(event, ICAL_UID_PROPERTY);
    out.summary = text_of(event, ICAL_SUMMARY_PROPERTY);
    out.location = text_of(event, ICAL_LOCATION_PROPERTY);
    out.description = text_of(event, ICAL_DESCRIPTION_PROPERTY);
    out.comment = text_of(event, ICAL_COMMENT_PROPERTY);
    out.video_conference_link = x_property(event, "X-OPENPAAS-VIDEOCONFERENCE");
    if (icalproperty* o = icalcomponent_get_first_property(event, ICAL_ORGANIZER_PROPERTY)) {
        out.organizer = person(o, icalproperty_get_organizer(o));
    }
    for (icalproperty* a = icalcomponent_get_first_property(event, ICAL_ATTENDEE_PROPERTY);
         a != nullptr; a = icalcomponent_get_next_property(event, ICAL_ATTENDEE_PROPERTY)) {
        Person p = person(a, icalproperty_get_attendee(a));
        bool resource = identity::lower(parameter(a, ICAL_CUTYPE_PARAMETER)) == "resource";
        auto& list = resource ? out.resources : out.attendees;
        if (!p.email.empty() && !contains(list, p.email)) {
            list.push_back(std::move(p));
        }
    }
    // icalcomponent_get_dtstart resolves TZID against the calendar's VTIMEZONEs.
    icaltimetype start = icalcomponent_get_dtstart(event);
    if (icaltime_is_null_time(start)) {
        throw std::invalid_argument("the VEVENT has no DTSTART");
    }
    out.all_day = start.is_date != 0;
    out.start = event_time(start);
    icaltimetype end = icalcomponent_get_dtend(event);  // DTEND, or DTSTART + DURATION
    if (!icaltime_is_null_time(end)) {
        out.end = event_time(end);
    }
    return out;
}

std::string with_method(const std::string& ics, const std::string& method) {
    ical::Component calendar = ical::parse_calendar(ics);
    icalproperty* p;
    while ((p = icalcomponent_get_first_property(calendar.get(), ICAL_METHOD_PROPERTY)) !=
           nullptr) {
        icalcomponent_remove_property(calendar.get(), p);
        icalproperty_free(p);
    }
    icalproperty_method m = icalproperty_string_to_method(method.c_str());
    if (m == ICAL_METHOD_NONE || m == ICAL_METHOD_X) {
        throw std::invalid_argument("unknown iTIP method " + method);
    }
    icalcomponent_add_property(calendar.get(), icalproperty_new_method(m));
    return ical::serialize(calendar.get());
}

}  // namespace twake::mail
