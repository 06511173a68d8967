#include "worker/alarms/next_alarm.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <memory>
#include <tuple>

#include "worker/ical/calendar.hpp"
#include "worker/ical/instant.hpp"
#include "worker/scheduling/occurrences.hpp"

namespace twake::alarms {

namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;

// A repeating event's occurrences are looked for over this far ahead of now.
constexpr seconds kHorizon{366LL * 24 * 3600};
// Beyond this many instances of one rule the expansion stops.
constexpr int kMaxInstancesScanned = 100000;

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

bool is_cancelled(icalcomponent* event) {
    return icalcomponent_get_status(event) == ICAL_STATUS_CANCELLED;
}

icalproperty* first(icalcomponent* c, icalproperty_kind kind) {
    return icalcomponent_get_first_property(c, kind);
}

std::string address(icalproperty* attendee) {
    const char* value = icalproperty_get_attendee(attendee);
    return value != nullptr ? lower(ical::address_of(value)) : std::string();
}

// The event's attendees, lower-cased.
std::vector<std::string> attendees_of(icalcomponent* event) {
    std::vector<std::string> out;
    for (icalproperty* p = first(event, ICAL_ATTENDEE_PROPERTY); p != nullptr;
         p = icalcomponent_get_next_property(event, ICAL_ATTENDEE_PROPERTY)) {
        out.push_back(address(p));
    }
    return out;
}

// Whether `user` takes part: an ATTENDEE with PARTSTAT=ACCEPTED, or the event has no
// attendee at all (an event of the user's own calendar).
bool takes_part(icalcomponent* event, const std::string& user) {
    bool any = false;
    for (icalproperty* p = first(event, ICAL_ATTENDEE_PROPERTY); p != nullptr;
         p = icalcomponent_get_next_property(event, ICAL_ATTENDEE_PROPERTY)) {
        any = true;
        if (address(p) == user &&
            lower(ical::parameter(p, ICAL_PARTSTAT_PARAMETER)) == "accepted") {
            return true;
        }
    }
    return !any;
}

sys_seconds instant(const icaltimetype& t) {
    return ical::instant_of(t);
}

// One occurrence: the component carrying its alarms and attendees, and its times.
struct Occurrence {
    icalcomponent* event;
    sys_seconds start;
    sys_seconds end;
    bool is_date;
    std::optional<std::string> recurrence_id;
};

std::string utc_text(sys_seconds t, bool is_date) {
    std::time_t raw = static_cast<std::time_t>(t.time_since_epoch().count());
    std::tm tm{};
    gmtime_r(&raw, &tm);
    char out[32];
    std::strftime(out, sizeof out, is_date ? "%Y%m%d" : "%Y%m%dT%H%M%SZ", &tm);
    return out;
}

// The start and end of a single event or an override (DTEND, else DTSTART + DURATION, else
// the start).
std::optional<Occurrence> occurrence_of(icalcomponent* calendar, icalcomponent* event) {
    icalproperty* dtstart = first(event, ICAL_DTSTART_PROPERTY);
    if (dtstart == nullptr) {
        return std::nullopt;
    }
    icaltimetype start = scheduling::property_time(calendar, dtstart);
    if (icaltime_is_null_time(start)) {
        return std::nullopt;
    }
    sys_seconds start_at = instant(start);
    sys_seconds end_at = start_at;
    if (icalproperty* dtend = first(event, ICAL_DTEND_PROPERTY)) {
        icaltimetype end = scheduling::property_time(calendar, dtend);
        if (!icaltime_is_null_time(end)) {
            end_at = instant(end);
        }
    } else if (icalproperty* duration = first(event, ICAL_DURATION_PROPERTY)) {
        end_at += seconds(icaldurationtype_as_int(icalproperty_get_duration(duration)));
    }
    Occurrence o{event, start_at, end_at, start.is_date != 0, std::nullopt};
    if (icalproperty* rid = first(event, ICAL_RECURRENCEID_PROPERTY)) {
        icaltimetype t = scheduling::property_time(calendar, rid);
        o.recurrence_id = utc_text(instant(t), t.is_date != 0);
    }
    return o;
}

int sequence_of(icalcomponent* event) {
    icalproperty* p = first(event, ICAL_SEQUENCE_PROPERTY);
    return p != nullptr ? icalproperty_get_sequence(p) : 0;
}

long long time_of(icalcomponent* calendar, icalcomponent* event, icalproperty_kind kind) {
    icalproperty* p = first(event, kind);
    if (p == nullptr) {
        return 0;
    }
    icaltimetype t = scheduling::property_time(calendar, p);
    return icaltime_is_null_time(t) ? 0 : instant(t).time_since_epoch().count();
}

// Of several versions of one event, the latest: highest SEQUENCE, then LAST-MODIFIED, then
// DTSTAMP.
bool later_version(icalcomponent* calendar, icalcomponent* a, icalcomponent* b) {
    auto key = [calendar](icalcomponent* e) {
        return std::tuple(sequence_of(e), time_of(calendar, e, ICAL_LASTMODIFIED_PROPERTY),
                          time_of(calendar, e, ICAL_DTSTAMP_PROPERTY));
    };
    return key(a) > key(b);
}

// Of several overrides of one instance, the latest: DTSTAMP, then SEQUENCE.
bool later_override(icalcomponent* calendar, icalcomponent* a, icalcomponent* b) {
    auto key = [calendar](icalcomponent* e) {
        return std::tuple(time_of(calendar, e, ICAL_DTSTAMP_PROPERTY), sequence_of(e));
    };
    return key(a) > key(b);
}

bool repeats(icalcomponent* event) {
    return first(event, ICAL_RRULE_PROPERTY) != nullptr ||
           first(event, ICAL_RDATE_PROPERTY) != nullptr;
}

// The original starts of a master's instances up to `until` (DTSTART, RRULE, RDATE), EXDATEs
// left out, keyed by scheduling::instant_key; those of the rules from about `from` on.
std::map<std::string, icaltimetype> instance_starts(icalcomponent* calendar, icalcomponent* master,
                                                    sys_seconds from, sys_seconds until) {
    std::map<std::string, icaltimetype> out;
    icaltimetype start = scheduling::property_time(calendar, first(master, ICAL_DTSTART_PROPERTY));
    if (icaltime_is_null_time(start)) {
        return out;
    }
    out.emplace(scheduling::instant_key(start), start);
    for (icalproperty* p = first(master, ICAL_RRULE_PROPERTY); p != nullptr;
         p = icalcomponent_get_next_property(master, ICAL_RRULE_PROPERTY)) {
        scheduling::RecurIterator it =
            scheduling::recurrence_from(icalproperty_get_rrule(p), start, from);
        if (!it) {
            continue;
        }
        for (int n = 0; n < kMaxInstancesScanned; ++n) {
            icaltimetype next = icalrecur_iterator_next(it.get());
            if (icaltime_is_null_time(next) || instant(next) > until) {
                break;
            }
            out.emplace(scheduling::instant_key(next), next);
        }
    }
    for (icalproperty* p = first(master, ICAL_RDATE_PROPERTY); p != nullptr;
         p = icalcomponent_get_next_property(master, ICAL_RDATE_PROPERTY)) {
        icaltimetype t = scheduling::property_time(calendar, p);
        if (!icaltime_is_null_time(t)) {
            out.emplace(scheduling::instant_key(t), t);
        }
    }
    for (const icaltimetype& t : scheduling::exdates(calendar, master)) {
        out.erase(scheduling::instant_key(t));
    }
    return out;
}

// The occurrences of a repeating event: the master's instances, each replaced by its latest
// override.
std::vector<Occurrence> repeating_occurrences(icalcomponent* calendar, icalcomponent* master,
                                              const std::vector<icalcomponent*>& events,
                                              sys_seconds from, sys_seconds until) {
    std::map<std::string, icalcomponent*> overrides;
    for (icalcomponent* e : events) {
        if (auto key = scheduling::recurrence_key(calendar, e)) {
            auto [at, inserted] = overrides.emplace(*key, e);
            if (!inserted && later_override(calendar, e, at->second)) {
                at->second = e;
            }
        }
    }
    auto master_times = occurrence_of(calendar, master);
    if (!master_times) {
        return {};
    }
    const seconds length = master_times->end - master_times->start;
    std::vector<Occurrence> out;
    for (const auto& [key, start] : instance_starts(calendar, master, from, until)) {
        if (auto o = overrides.find(key); o != overrides.end()) {
            if (auto occurrence = occurrence_of(calendar, o->second)) {
                out.push_back(*occurrence);
            }
            continue;
        }
        sys_seconds at = instant(start);
        out.push_back(Occurrence{master, at, at + length, start.is_date != 0,
                                 utc_text(at, start.is_date != 0)});
    }
    return out;
}

// The occurrences whose alarms count: the repeating event's instances, else the latest version
// of a single event.
std::vector<Occurrence> occurrences(icalcomponent* calendar, sys_seconds from, sys_seconds until) {
    std::vector<icalcomponent*> events = ical::vevents(calendar);
    for (icalcomponent* e : events) {
        if (repeats(e) && first(e, ICAL_RECURRENCEID_PROPERTY) == nullptr) {
            return repeating_occurrences(calendar, e, events, from, until);
        }
    }
    icalcomponent* latest = nullptr;
    for (icalcomponent* e : events) {
        if (latest == nullptr || later_version(calendar, e, latest)) {
            latest = e;
        }
    }
    if (latest == nullptr) {
        return {};
    }
    auto o = occurrence_of(calendar, latest);
    return o ? std::vector<Occurrence>{*o} : std::vector<Occurrence>{};
}

std::optional<AlarmAction> alarm_action(icalcomponent* valarm) {
    icalproperty* p = first(valarm, ICAL_ACTION_PROPERTY);
    if (p == nullptr) {
        return std::nullopt;
    }
    const char* text = icalproperty_get_value_as_string(p);
    std::string name = lower(text != nullptr ? text : "");
    if (name == "email") {
        return AlarmAction::Email;
    }
    if (name == "display") {
        return AlarmAction::Display;
    }
    return std::nullopt;
}

// When the alarm fires for this occurrence: a duration before or after its start (or its end
// with RELATED=END), or an absolute UTC time.
std::optional<sys_seconds> trigger_time(icalcomponent* valarm, const Occurrence& o) {
    icalproperty* p = first(valarm, ICAL_TRIGGER_PROPERTY);
    if (p == nullptr) {
        return std::nullopt;
    }
    icaltriggertype trigger = icalproperty_get_trigger(p);
    if (!icaltime_is_null_time(trigger.time)) {
        return instant(trigger.time);
    }
    icalparameter* related = icalproperty_get_first_parameter(p, ICAL_RELATED_PARAMETER);
    bool from_end = related != nullptr && icalparameter_get_related(related) == ICAL_RELATED_END;
    return (from_end ? o.end : o.start) + seconds(icaldurationtype_as_int(trigger.duration));
}

// The VALARM's attendees that are not attendees of the event (`user` aside); nullopt when it
// named some and none is left.
std::optional<std::vector<std::string>> alarm_recipients(icalcomponent* valarm,
                                                         const std::vector<std::string>& attendees,
                                                         const std::string& user) {
    std::vector<std::string> out;
    bool named = false;
    for (icalproperty* p = first(valarm, ICAL_ATTENDEE_PROPERTY); p != nullptr;
         p = icalcomponent_get_next_property(valarm, ICAL_ATTENDEE_PROPERTY)) {
        named = true;
        std::string a = address(p);
        bool other_attendee =
            a != user && std::find(attendees.begin(), attendees.end(), a) != attendees.end();
        if (!a.empty() && !other_attendee && std::find(out.begin(), out.end(), a) == out.end()) {
            out.push_back(a);
        }
    }
    if (named && out.empty()) {
        return std::nullopt;
    }
    return out;
}

}  // namespace

const char* action_name(AlarmAction action) {
    return action == AlarmAction::Display ? "DISPLAY" : "EMAIL";
}

AlarmAction action_from_name(const std::string& name) {
    return lower(name) == "display" ? AlarmAction::Display : AlarmAction::Email;
}

std::optional<NextAlarm> next_alarm(icalcomponent* calendar, const std::string& user,
                                    sys_seconds now, sys_seconds after) {
    if (calendar == nullptr || icalcomponent_isa(calendar) != ICAL_VCALENDAR_COMPONENT) {
        return std::nullopt;
    }
    if (icalproperty* status = first(calendar, ICAL_STATUS_PROPERTY);
        status != nullptr && icalproperty_get_status(status) == ICAL_STATUS_CANCELLED) {
        return std::nullopt;
    }
    const std::string who = lower(user);
    std::vector<icalcomponent*> events = ical::vevents(calendar);
    const bool recurring = std::any_of(events.begin(), events.end(), repeats);
    std::optional<NextAlarm> best;
    for (const Occurrence& o : occurrences(calendar, now, now + kHorizon)) {
        if (o.start <= now || is_cancelled(o.event) || !takes_part(o.event, who)) {
            continue;
        }
        const std::vector<std::string> attendees = attendees_of(o.event);
        for (icalcomponent* valarm =
                 icalcomponent_get_first_component(o.event, ICAL_VALARM_COMPONENT);
             valarm != nullptr;
             valarm = icalcomponent_get_next_component(o.event, ICAL_VALARM_COMPONENT)) {
            auto action = alarm_action(valarm);
            auto when = action ? trigger_time(valarm, o) : std::nullopt;
            if (!when || *when <= after || (best && best->alarm_time <= *when)) {
                continue;
            }
            auto recipients = alarm_recipients(valarm, attendees, who);
            if (!recipients) {
                continue;
            }
            best = NextAlarm{*when,
                             o.start,
                             recurring ? o.recurrence_id : std::nullopt,
                             *action,
                             std::move(*recipients),
                             recurring};
        }
    }
    return best;
}

std::vector<std::string> row_recipients(const NextAlarm& alarm, const std::string& owner) {
    if (alarm.action == AlarmAction::Display) {
        return {lower(owner)};
    }
    return alarm.recipients;
}

}  // namespace twake::alarms
