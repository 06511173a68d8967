#include "worker/mail/calendar_event.hpp"

#include <libical/ical.h>

#include <cctype>
#include <memory>
#include <stdexcept>

#include "shared/identity/address.hpp"

namespace twake::mail {

namespace {

struct ComponentDelete {
    void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using Component = std::unique_ptr<icalcomponent, ComponentDelete>;

struct StringDelete {
    void operator()(char* s) const { free(s); }
};

Component parse(const std::string& ics) {
    Component calendar(icalparser_parse_string(ics.c_str()));
    if (!calendar || icalcomponent_isa(calendar.get()) != ICAL_VCALENDAR_COMPONENT) {
        throw std::invalid_argument("not an iCalendar object");
    }
    return calendar;
}

std::string text_of(icalcomponent* event, icalproperty_kind kind) {
    icalproperty* p = icalcomponent_get_first_property(event, kind);
    if (p == nullptr) {
        return {};
    }
    const char* v = icalproperty_get_value_as_string(p);
    if (kind == ICAL_SUMMARY_PROPERTY || kind == ICAL_LOCATION_PROPERTY ||
        kind == ICAL_DESCRIPTION_PROPERTY || kind == ICAL_COMMENT_PROPERTY) {
        // The unescaped text, not its iCalendar form.
        icalvalue* value = icalproperty_get_value(p);
        v = value != nullptr ? icalvalue_get_text(value) : nullptr;
    }
    return v != nullptr ? v : "";
}

std::string x_property(icalcomponent* event, const char* name) {
    for (icalproperty* p = icalcomponent_get_first_property(event, ICAL_X_PROPERTY); p != nullptr;
         p = icalcomponent_get_next_property(event, ICAL_X_PROPERTY)) {
        const char* n = icalproperty_get_x_name(p);
        if (n != nullptr && std::string_view(n) == name) {
            const char* v = icalproperty_get_x(p);
            return v != nullptr ? v : "";
        }
    }
    return {};
}

std::string address_of(const char* calAddress) {
    std::string v = calAddress != nullptr ? calAddress : "";
    if (v.size() >= 7 && identity::lower(v.substr(0, 7)) == "mailto:") {
        v = v.substr(7);
    }
    return v;
}

std::string parameter(icalproperty* p, icalparameter_kind kind) {
    icalparameter* param = icalproperty_get_first_parameter(p, kind);
    if (param == nullptr) {
        return {};
    }
    const char* v = icalparameter_get_xvalue(param);
    if (v == nullptr) {
        std::unique_ptr<char, StringDelete> text(icalparameter_as_ical_string_r(param));
        std::string s = text ? text.get() : "";
        auto eq = s.find('=');
        return eq == std::string::npos ? s : s.substr(eq + 1);
    }
    return v;
}

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
    const icaltimezone* zone = t.zone != nullptr ? t.zone : icaltimezone_get_utc_timezone();
    out.instant = std::chrono::sys_seconds(
        std::chrono::seconds(icaltime_as_timet_with_zone(t, const_cast<icaltimezone*>(zone))));
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
    Component calendar = parse(ics);
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
    Component calendar = parse(ics);
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
    std::unique_ptr<char, StringDelete> text(icalcomponent_as_ical_string_r(calendar.get()));
    return text ? text.get() : "";
}

}  // namespace twake::mail
