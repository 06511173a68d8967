#include "worker/scheduling/event_diff.hpp"

#include <cstdio>
#include <map>

#include "shared/identity/address.hpp"
#include "worker/ical/calendar.hpp"
#include "worker/ical/instant.hpp"
#include "worker/scheduling/occurrences.hpp"

namespace twake::scheduling {

namespace {

std::optional<std::string> organizer_of(icalcomponent* event) {
    icalproperty* o = icalcomponent_get_first_property(event, ICAL_ORGANIZER_PROPERTY);
    if (o == nullptr) {
        return std::nullopt;
    }
    return ical::bare_address(icalproperty_get_organizer(o));
}

bool attends(const std::string& recipient, icalcomponent* event) {
    if (event == nullptr) {
        return false;
    }
    for (icalproperty* a = icalcomponent_get_first_property(event, ICAL_ATTENDEE_PROPERTY);
         a != nullptr; a = icalcomponent_get_next_property(event, ICAL_ATTENDEE_PROPERTY)) {
        if (ical::bare_address(icalproperty_get_attendee(a)) == recipient) {
            return true;
        }
    }
    return false;
}

// The first PARTSTAT written for `address` among the attendees; nullopt when it is no attendee
// or has none.
std::optional<std::string> partstat_of(icalcomponent* event, const std::string& address) {
    for (icalproperty* a = icalcomponent_get_first_property(event, ICAL_ATTENDEE_PROPERTY);
         a != nullptr; a = icalcomponent_get_next_property(event, ICAL_ATTENDEE_PROPERTY)) {
        if (ical::bare_address(icalproperty_get_attendee(a)) == address) {
            std::string value = ical::parameter(a, ICAL_PARTSTAT_PARAMETER);
            if (value.empty()) {
                return std::nullopt;
            }
            return identity::lower(value);
        }
    }
    return std::nullopt;
}

// The organizer, listed among the attendees, went from needs-action or declined to accepted
// or tentative: the meeting now takes place.
bool organizer_accepted(icalcomponent* previous, icalcomponent* current) {
    auto organizer = organizer_of(previous);
    if (!organizer) {
        return false;
    }
    auto before = partstat_of(previous, *organizer);
    auto now = partstat_of(current, *organizer);
    return before && (*before == "needs-action" || *before == "declined") && now &&
           (*now == "accepted" || *now == "tentative");
}

// A publicly created booking the organizer turned down: the booker waits for that answer.
bool booking_declined(icalcomponent* previous, icalcomponent* current) {
    std::string flag = identity::lower(ical::x_property(current, "X-PUBLICLY-CREATED"));
    auto organizer = organizer_of(previous);
    if (flag != "true" || !organizer) {
        return false;
    }
    return partstat_of(previous, *organizer) != "declined" &&
           partstat_of(current, *organizer) == "declined";
}

using ical::zone_name;

bool same_time(const icaltimetype& a, const icaltimetype& b) {
    if (icaltime_is_null_time(a) || icaltime_is_null_time(b)) {
        return icaltime_is_null_time(a) == icaltime_is_null_time(b);
    }
    return a.is_date == b.is_date && instant_key(a) == instant_key(b) &&
           zone_name(a) == zone_name(b);
}

// The changes of the fields a notification describes; nullopt when none changed.
std::optional<json::Json> field_changes(icalcomponent* previous, icalcomponent* current) {
    if (previous == nullptr) {
        return std::nullopt;
    }
    json::Json changes = json::Json::object();
    bool any = false;
    const std::pair<icalproperty_kind, const char*> texts[] = {
        {ICAL_SUMMARY_PROPERTY, "summary"},
        {ICAL_LOCATION_PROPERTY, "location"},
        {ICAL_DESCRIPTION_PROPERTY, "description"},
    };
    for (const auto& [kind, key] : texts) {
        std::string before = ical::text_of(previous, kind);
        std::string now = ical::text_of(current, kind);
        if (before != now) {
            json::Json change = json::Json::object();
            change.set("previous", before).set("current", now);
            changes.set(key, std::move(change));
            any = true;
        }
    }
    const std::pair<icaltimetype (*)(icalcomponent*), const char*> times[] = {
        {icalcomponent_get_dtstart, "dtstart"},
        {icalcomponent_get_dtend, "dtend"},
    };
    for (const auto& [read, key] : times) {
        icaltimetype before = read(previous);
        icaltimetype now = read(current);
        if (!same_time(before, now)) {
            json::Json change = json::Json::object();
            if (!icaltime_is_null_time(before)) {
                change.set("previous", date_time_json(before));
            }
            if (!icaltime_is_null_time(now)) {
                change.set("current", date_time_json(now));
            }
            changes.set(key, std::move(change));
            any = true;
        }
    }
    if (!any) {
        return std::nullopt;
    }
    return changes;
}

icalcomponent* first_event(icalcomponent* calendar) {
    return icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT);
}

}  // namespace

json::Json date_time_json(const icaltimetype& t) {
    char date[40];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d %02d:%02d:%02d.000000", t.year, t.month, t.day,
                  t.is_date ? 0 : t.hour, t.is_date ? 0 : t.minute, t.is_date ? 0 : t.second);
    json::Json out = json::Json::object();
    out.set("isAllDay", t.is_date != 0)
        .set("date", date)
        .set("timezone_type", 3)
        .set("timezone", zone_name(t));
    return out;
}

std::optional<EventDiff> single_event_diff(const std::string& recipient, icalcomponent* calendar,
                                           icalcomponent* old_calendar, bool cancellation) {
    icalcomponent* current = first_event(calendar);
    icalcomponent* previous = first_event(old_calendar);
    const std::string who = identity::lower(recipient);
    bool was = attends(who, previous);
    bool is = attends(who, current);
    if (!was && !is) {
        return std::nullopt;
    }
    EventDiff diff{current, !was, field_changes(previous, current)};
    if (cancellation) {
        diff.new_event = false;
        return diff;
    }
    bool relevant = diff.changes || organizer_accepted(previous, current) ||
                    booking_declined(previous, current) ||
                    partstat_of(previous, who) != partstat_of(current, who);
    if (was && is && !relevant) {
        return std::nullopt;
    }
    return diff;
}

std::vector<EventDiff> recurring_diffs(const std::string& recipient, icalcomponent* calendar,
                                       icalcomponent* old_calendar, bool cancellation) {
    const std::string who = identity::lower(recipient);
    std::map<std::string, icalcomponent*> previous_by_key;  // "" for the master
    for (icalcomponent* event : ical::vevents(old_calendar)) {
        previous_by_key.emplace(recurrence_key(old_calendar, event).value_or(""), event);
    }
    icalcomponent* previous_master =
        previous_by_key.contains("") ? previous_by_key.at("") : nullptr;
    std::vector<EventDiff> out;
    for (icalcomponent* current : ical::vevents(calendar)) {
        auto key = recurrence_key(calendar, current);
        auto same = previous_by_key.find(key.value_or(""));
        icalcomponent* previous = same != previous_by_key.end() ? same->second : nullptr;
        ical::Component expanded;
        if (previous == nullptr && key && previous_master != nullptr) {
            icalproperty* rid =
                icalcomponent_get_first_property(current, ICAL_RECURRENCEID_PROPERTY);
            expanded = instance_of(previous_master, property_time(calendar, rid));
            previous = expanded.get();
        } else if (previous == nullptr) {
            previous = previous_master;
        }
        bool was = attends(who, previous);
        bool is = attends(who, current);
        if (!was && !is) {
            continue;
        }
        EventDiff diff{current, !was, field_changes(previous, current)};
        if (cancellation) {
            diff.new_event = false;
        } else if (same != previous_by_key.end() && !diff.changes &&
                   !organizer_accepted(previous, current)) {
            continue;
        }
        out.push_back(std::move(diff));
    }
    return out;
}

}  // namespace twake::scheduling
