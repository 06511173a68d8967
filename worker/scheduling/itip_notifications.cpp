#include "worker/scheduling/itip_notifications.hpp"

#include <cstdio>
#include <map>
#include <set>
#include <stdexcept>

#include "shared/identity/address.hpp"
#include "shared/json/json.hpp"
#include "worker/ical/calendar.hpp"
#include "worker/scheduling/event_diff.hpp"
#include "worker/scheduling/occurrences.hpp"

namespace twake::scheduling {

namespace {

// What every notification of one message shares (docs/reference/rabbitmq.md §3.4).
json::Json base_body(const ItipNotificationSource& source, const std::string& method,
                     const std::string& event) {
    json::Json body = json::Json::object();
    body.set("senderEmail", source.sender)
        .set("recipientEmail", source.recipient)
        .set("method", method)
        .set("event", event);
    if (source.calendar_id) {
        body.set("calendarURI", *source.calendar_id);
    }
    body.set("eventPath", source.event_path);
    return body;
}

// A calendar with the properties and time zones of `calendar` and `event` as its one event.
std::string with_single_event(icalcomponent* calendar, icalcomponent* event,
                              const std::optional<std::string>& method = std::nullopt) {
    ical::Component out(icalcomponent_new_vcalendar());
    for (icalproperty* p = icalcomponent_get_first_property(calendar, ICAL_ANY_PROPERTY);
         p != nullptr; p = icalcomponent_get_next_property(calendar, ICAL_ANY_PROPERTY)) {
        if (method && icalproperty_isa(p) == ICAL_METHOD_PROPERTY) {
            continue;
        }
        icalcomponent_add_property(out.get(), icalproperty_new_clone(p));
    }
    if (method) {
        icalcomponent_add_property(
            out.get(), icalproperty_new_method(icalproperty_string_to_method(method->c_str())));
    }
    for (icalcomponent* tz = icalcomponent_get_first_component(calendar, ICAL_VTIMEZONE_COMPONENT);
         tz != nullptr; tz = icalcomponent_get_next_component(calendar, ICAL_VTIMEZONE_COMPONENT)) {
        icalcomponent_add_component(out.get(), icalcomponent_new_clone(tz));
    }
    icalcomponent_add_component(out.get(), icalcomponent_new_clone(event));
    return ical::serialize(out.get());
}

// One notification per event of the message; the message itself when it has one event.
std::vector<json::Json> by_occurrence(const ItipNotificationSource& source, icalcomponent* calendar,
                                      bool new_event) {
    std::vector<json::Json> out;
    auto events = ical::vevents(calendar);
    for (icalcomponent* event : events) {
        std::string text = events.size() == 1 ? source.message : with_single_event(calendar, event);
        json::Json body = base_body(source, source.method, text);
        if (new_event) {
            body.set("isNewEvent", true);
        }
        out.push_back(std::move(body));
    }
    return out;
}

json::Json diff_body(const ItipNotificationSource& source, icalcomponent* calendar,
                     const EventDiff& diff, bool whole_message) {
    json::Json body =
        base_body(source, source.method,
                  whole_message ? source.message : with_single_event(calendar, diff.event));
    if (diff.new_event) {
        body.set("isNewEvent", true);
    }
    if (diff.changes) {
        body.set("changes", json::Json::copy_of(diff.changes->get()));
    }
    return body;
}

// The events of a calendar by RECURRENCE-ID text, the master under "" (first of duplicates).
std::map<std::string, icalcomponent*> by_recurrence_id(icalcomponent* calendar) {
    std::map<std::string, icalcomponent*> out;
    for (icalcomponent* event : ical::vevents(calendar)) {
        out.emplace(ical::recurrence_id_text(event).value_or(""), event);
    }
    return out;
}

// For a REQUEST of a repeating event: the instances the organizer newly excluded (EXDATE)
// are cancelled for the recipient, one CANCEL notification each.
std::vector<json::Json> cancelled_instances(const ItipNotificationSource& source,
                                            icalcomponent* calendar, icalcomponent* old_calendar,
                                            std::set<std::string>& cancelled_keys) {
    std::vector<json::Json> out;
    auto now_events = by_recurrence_id(calendar);
    auto old_events = by_recurrence_id(old_calendar);
    if (!now_events.contains("") || !old_events.contains("")) {
        return out;
    }
    icalcomponent* old_master = old_events[""];
    std::set<std::string> before;
    for (const auto& t : exdates(old_calendar, old_master)) {
        before.insert(instant_key(t));
    }
    for (const auto& t : exdates(calendar, now_events[""])) {
        std::string key = instant_key(t);
        if (before.contains(key) || !cancelled_keys.insert(key).second) {
            continue;
        }
        ical::Component instance = cancelled_instance(old_master, t);
        out.push_back(
            base_body(source, "CANCEL", with_single_event(calendar, instance.get(), "CANCEL")));
    }
    return out;
}

std::vector<json::Json> notifications(const ItipNotificationSource& source, icalcomponent* calendar,
                                      icalcomponent* old_calendar) {
    auto events = ical::vevents(calendar);
    bool recurring = false;
    for (icalcomponent* event : events) {
        recurring = recurring || ical::is_recurring(event);
    }
    std::vector<json::Json> out;
    if (source.method == "COUNTER") {
        json::Json body = base_body(source, source.method, source.message);
        if (source.old_message) {
            body.set("oldEvent", *source.old_message);
        }
        out.push_back(std::move(body));
        return out;
    }
    if (source.method == "REPLY") {
        if (!recurring) {
            out.push_back(base_body(source, source.method, source.message));
            return out;
        }
        return by_occurrence(source, calendar, false);
    }
    if (old_calendar == nullptr) {
        return by_occurrence(source, calendar, source.method == "REQUEST");
    }
    bool was_recurring = false;
    for (icalcomponent* event : ical::vevents(old_calendar)) {
        was_recurring = was_recurring || ical::is_recurring(event);
    }
    const bool cancel = source.method == "CANCEL";
    if (!recurring && !was_recurring) {
        if (auto diff = single_event_diff(source.recipient, calendar, old_calendar, cancel)) {
            out.push_back(diff_body(source, calendar, *diff, true));
        }
        return out;
    }
    std::set<std::string> cancelled_keys;
    if (source.method == "REQUEST") {
        out = cancelled_instances(source, calendar, old_calendar, cancelled_keys);
    }
    for (const auto& diff : recurring_diffs(source.recipient, calendar, old_calendar, cancel)) {
        auto key = recurrence_key(calendar, diff.event);
        if (key && cancelled_keys.contains(*key)) {
            continue;  // its cancellation says it all
        }
        out.push_back(diff_body(source, calendar, diff, false));
    }
    return out;
}

}  // namespace

std::vector<std::string> notification_bodies(const ItipNotificationSource& source,
                                             std::chrono::sys_seconds now) {
    ical::Component calendar = ical::parse_calendar(source.message);
    if (ical::vevents(calendar.get()).empty()) {
        throw std::invalid_argument("the iTIP message has no VEVENT");
    }
    ical::Component old_calendar;
    if (source.old_message) {
        try {
            old_calendar = ical::parse_calendar(*source.old_message);
        } catch (const std::invalid_argument&) {
            old_calendar.reset();
        }
        if (old_calendar && ical::vevents(old_calendar.get()).empty()) {
            old_calendar.reset();
        }
    }
    std::vector<std::string> out;
    for (const auto& body : notifications(source, calendar.get(), old_calendar.get())) {
        auto event = json::string_member(body.get(), "event");
        if (event && !is_over(*event, now)) {
            out.push_back(body.dump());
        }
    }
    return out;
}

}  // namespace twake::scheduling
