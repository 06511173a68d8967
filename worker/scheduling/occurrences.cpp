#include "worker/scheduling/occurrences.hpp"

#include "worker/ical/instant.hpp"

#include <memory>
#include <stdexcept>

namespace twake::scheduling {

namespace {

// Beyond this many occurrences before `now`, a rule is taken as still running.
constexpr int kMaxOccurrencesScanned = 100000;

time_t as_time(const icaltimetype& t) {
    return static_cast<time_t>(ical::instant_of(t).time_since_epoch().count());
}

icaltimezone* zone_named(icalcomponent* calendar, const char* tzid) {
    icaltimezone* zone = calendar != nullptr ? icalcomponent_get_timezone(calendar, tzid) : nullptr;
    return zone != nullptr ? zone : icaltimezone_get_builtin_timezone(tzid);
}

void remove_all(icalcomponent* event, icalproperty_kind kind) {
    icalproperty* p;
    while ((p = icalcomponent_get_first_property(event, kind)) != nullptr) {
        icalcomponent_remove_property(event, p);
        icalproperty_free(p);
    }
}

// A date or date-time property of `kind` holding `t`, with the TZID of its zone (none for UTC,
// floating and dates).
icalproperty* time_property(icalproperty_kind kind, icaltimetype t) {
    icalproperty* p = icalproperty_new(kind);
    icalproperty_set_value(p, t.is_date ? icalvalue_new_date(t) : icalvalue_new_datetime(t));
    if (!t.is_date && t.zone != nullptr && !icaltime_is_utc(t)) {
        const char* tzid = icaltimezone_get_tzid(const_cast<icaltimezone*>(t.zone));
        if (tzid != nullptr) {
            icalproperty_add_parameter(p, icalparameter_new_tzid(tzid));
        }
    }
    return p;
}

}  // namespace

icaltimetype property_time(icalcomponent* calendar, icalproperty* p) {
    icalvalue* value = icalproperty_get_value(p);
    if (value == nullptr) {
        return icaltime_null_time();
    }
    icaltimetype t = icalvalue_isa(value) == ICAL_PERIOD_VALUE ? icalvalue_get_period(value).start
                                                               : icalvalue_get_datetime(value);
    if (icalparameter* tzid = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
        tzid != nullptr && !t.is_date) {
        if (icaltimezone* zone = zone_named(calendar, icalparameter_get_tzid(tzid))) {
            t = icaltime_set_timezone(&t, zone);
        }
    }
    return t;
}

std::string instant_key(const icaltimetype& t) {
    if (t.is_date) {
        char date[16];
        std::snprintf(date, sizeof date, "D%04d%02d%02d", t.year, t.month, t.day);
        return date;
    }
    return "T" + std::to_string(static_cast<long long>(as_time(t)));
}

std::optional<std::string> recurrence_key(icalcomponent* calendar, icalcomponent* event) {
    icalproperty* p = icalcomponent_get_first_property(event, ICAL_RECURRENCEID_PROPERTY);
    if (p == nullptr) {
        return std::nullopt;
    }
    return instant_key(property_time(calendar, p));
}

std::vector<icaltimetype> exdates(icalcomponent* calendar, icalcomponent* master) {
    std::vector<icaltimetype> out;
    for (icalproperty* p = icalcomponent_get_first_property(master, ICAL_EXDATE_PROPERTY);
         p != nullptr; p = icalcomponent_get_next_property(master, ICAL_EXDATE_PROPERTY)) {
        icaltimetype t = property_time(calendar, p);
        if (!icaltime_is_null_time(t)) {
            out.push_back(t);
        }
    }
    return out;
}

ical::Component instance_of(icalcomponent* master, icaltimetype start) {
    ical::Component instance(icalcomponent_new_clone(master));
    icaltimetype master_start = icalcomponent_get_dtstart(master);
    icaltimetype master_end = icalcomponent_get_dtend(master);
    for (auto kind : {ICAL_RRULE_PROPERTY, ICAL_RDATE_PROPERTY, ICAL_EXDATE_PROPERTY,
                      ICAL_EXRULE_PROPERTY, ICAL_RECURRENCEID_PROPERTY, ICAL_DTSTART_PROPERTY,
                      ICAL_DTEND_PROPERTY, ICAL_DURATION_PROPERTY}) {
        remove_all(instance.get(), kind);
    }
    icalcomponent_add_property(instance.get(), time_property(ICAL_DTSTART_PROPERTY, start));
    if (!icaltime_is_null_time(master_start) && !icaltime_is_null_time(master_end)) {
        icaltimetype end = icaltime_add(start, icaltime_subtract(master_end, master_start));
        icalcomponent_add_property(instance.get(), time_property(ICAL_DTEND_PROPERTY, end));
    }
    icalcomponent_add_property(instance.get(), time_property(ICAL_RECURRENCEID_PROPERTY, start));
    return instance;
}

ical::Component cancelled_instance(icalcomponent* master, icaltimetype start) {
    ical::Component instance = instance_of(master, start);
    remove_all(instance.get(), ICAL_STATUS_PROPERTY);
    icalcomponent_add_property(instance.get(), icalproperty_new_status(ICAL_STATUS_CANCELLED));
    return instance;
}

RecurIterator recurrence_from(const icalrecurrencetype& rule, icaltimetype start,
                              std::chrono::sys_seconds from) {
    // RFC 5545 §3.3.10: a BYDAY with an ordinal (-1SU) only with FREQ=MONTHLY or YEARLY.
    // libical 3.0 loops for seconds on such a rule of another frequency (a fuzzing finding,
    // t/fuzz/ics/finding-hourly-rule-since-1970.ics): it is refused like any invalid rule.
    if (rule.freq != ICAL_MONTHLY_RECURRENCE && rule.freq != ICAL_YEARLY_RECURRENCE) {
        for (int i = 0; i < ICAL_BY_DAY_SIZE && rule.by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; ++i) {
            if (icalrecurrencetype_day_position(rule.by_day[i]) != 0) {
                return nullptr;
            }
        }
    }
    RecurIterator it(icalrecur_iterator_new(rule, start));
    const auto jump = from - std::chrono::days(1);  // any zone's offset, and then some
    if (it && rule.count == 0 && ical::instant_of(start) < jump) {
        icaltimezone* zone = start.zone != nullptr ? const_cast<icaltimezone*>(start.zone)
                                                   : icaltimezone_get_utc_timezone();
        icaltimetype at = icaltime_from_timet_with_zone(
            static_cast<time_t>(jump.time_since_epoch().count()), start.is_date, zone);
        icalrecur_iterator_set_start(it.get(), at);  // refused: iterate from DTSTART
    }
    return it;
}

bool is_over(const std::string& ics, std::chrono::sys_seconds now) {
    ical::Component calendar;
    try {
        calendar = ical::parse_calendar(ics);
    } catch (const std::invalid_argument&) {
        return false;
    }
    icalcomponent* event = icalcomponent_get_first_component(calendar.get(), ICAL_VEVENT_COMPONENT);
    if (event == nullptr) {
        return false;
    }
    icaltimetype start = icalcomponent_get_dtstart(event);
    if (icaltime_is_null_time(start)) {
        return false;
    }
    const time_t limit = std::chrono::system_clock::to_time_t(now);
    if (as_time(start) >= limit) {
        return false;
    }
    for (icalproperty* p = icalcomponent_get_first_property(event, ICAL_RDATE_PROPERTY);
         p != nullptr; p = icalcomponent_get_next_property(event, ICAL_RDATE_PROPERTY)) {
        icaltimetype t = property_time(calendar.get(), p);
        if (!icaltime_is_null_time(t) && as_time(t) >= limit) {
            return false;
        }
    }
    for (icalproperty* p = icalcomponent_get_first_property(event, ICAL_RRULE_PROPERTY);
         p != nullptr; p = icalcomponent_get_next_property(event, ICAL_RRULE_PROPERTY)) {
        icalrecurrencetype rule = icalproperty_get_rrule(p);
        if (rule.count == 0 && icaltime_is_null_time(rule.until)) {
            return false;  // endless
        }
        RecurIterator it = recurrence_from(rule, start, now);
        if (!it) {
            return false;
        }
        for (int n = 0; n < kMaxOccurrencesScanned; ++n) {
            icaltimetype next = icalrecur_iterator_next(it.get());
            if (icaltime_is_null_time(next)) {
                break;
            }
            if (as_time(next) >= limit) {
                return false;
            }
            if (n + 1 == kMaxOccurrencesScanned) {
                return false;
            }
        }
    }
    return true;
}

}  // namespace twake::scheduling
