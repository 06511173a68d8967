#include "worker/imports/ics_split.hpp"

#include <algorithm>
#include <unordered_map>

#include "worker/errors/invalid_input.hpp"
#include "worker/ical/calendar.hpp"
#include "worker/imports/content_lines.hpp"

namespace twake::imports {

namespace {

std::string upper(std::string s) {
    for (char& c : s) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return s;
}

// Drops what libical added for the properties it could not read, in `c` and its children.
void drop_parse_errors(icalcomponent* c) {
    icalproperty* p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY);
    while (p != nullptr) {
        icalcomponent_remove_property(c, p);
        icalproperty_free(p);
        p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY);
    }
    for (icalcomponent* child = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT);
         child != nullptr; child = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT)) {
        drop_parse_errors(child);
    }
}

// The TZIDs the properties of `c` name.
void referenced_zones(icalcomponent* c, std::vector<std::string>& out) {
    for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_ANY_PROPERTY); p != nullptr;
         p = icalcomponent_get_next_property(c, ICAL_ANY_PROPERTY)) {
        if (icalparameter* tz = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER)) {
            out.emplace_back(icalparameter_get_tzid(tz));
        }
    }
}

std::string value_text(icalcomponent* event, icalproperty_kind kind) {
    icalproperty* p = icalcomponent_get_first_property(event, kind);
    const char* v = p != nullptr ? icalproperty_get_value_as_string(p) : nullptr;
    return v != nullptr ? v : "";
}

constexpr std::string_view kHeader =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Linagora//Twake Calendar import//EN\r\n";

}  // namespace

IcsLayout split_ics(std::string_view text) {
    IcsLayout layout;
    std::unordered_map<std::string, size_t> group_of_uid;
    std::vector<std::string> open;  // the components begun and not yet ended
    bool any_calendar = false;
    TextSpan current;
    std::string uid, tzid;
    ContentLines lines(text);
    ContentLine line;
    while (lines.next(line)) {
        if (line.name == "BEGIN") {
            std::string kind = upper(line.value);
            if (open.empty() && kind != "VCALENDAR") {
                throw errors::InvalidInput("not an iCalendar file: " + kind + " outside VCALENDAR");
            }
            open.push_back(kind);
            any_calendar = true;
            if (open.size() == 2) {
                current.begin = line.begin;
                uid.clear();
                tzid.clear();
            }
        } else if (line.name == "END") {
            if (open.empty() || upper(line.value) != open.back()) {
                throw errors::InvalidInput("not an iCalendar file: END:" + line.value +
                                           " does not close " +
                                           (open.empty() ? "anything" : open.back()));
            }
            if (open.size() == 2) {
                current.end = line.end;
                if (open.back() == "VEVENT") {
                    if (uid.empty()) {
                        throw errors::InvalidInput("a VEVENT has no UID");
                    }
                    auto [it, added] = group_of_uid.try_emplace(uid, layout.groups.size());
                    if (added) {
                        layout.groups.push_back(EventGroup{uid, {}});
                    }
                    layout.groups[it->second].events.push_back(current);
                } else if (open.back() == "VTIMEZONE" && !tzid.empty()) {
                    layout.timezones.try_emplace(tzid, current);
                }
            }
            open.pop_back();
        } else if (open.size() == 2 && open.back() == "VEVENT" && line.name == "UID") {
            uid = line.value;
        } else if (open.size() == 2 && open.back() == "VTIMEZONE" && line.name == "TZID") {
            tzid = line.value;
        }
    }
    if (!open.empty()) {
        throw errors::InvalidInput("not an iCalendar file: " + open.back() + " is not ended");
    }
    if (!any_calendar) {
        throw errors::InvalidInput("not an iCalendar file");
    }
    return layout;
}

GroupObject group_object(std::string_view text, const IcsLayout& layout, const EventGroup& group) {
    GroupObject out;
    std::string events(kHeader);
    for (const TextSpan& span : group.events) {
        events.append(text.substr(span.begin, span.end - span.begin));
        if (events.back() != '\n') {
            events.append("\r\n");
        }
    }
    events.append("END:VCALENDAR\r\n");
    ical::Component calendar;
    try {
        calendar = ical::parse_calendar(events);
    } catch (const std::invalid_argument&) {
        out.problem = "unreadable event";
        return out;
    }
    drop_parse_errors(calendar.get());
    std::vector<std::string> zones;
    for (icalcomponent* event : ical::vevents(calendar.get())) {
        if (out.summary.empty()) {
            out.summary = ical::text_of(event, ICAL_SUMMARY_PROPERTY);
            out.start = value_text(event, ICAL_DTSTART_PROPERTY);
            out.end = value_text(event, ICAL_DTEND_PROPERTY);
        }
        if (icalcomponent_get_first_property(event, ICAL_DTSTART_PROPERTY) == nullptr) {
            out.problem = "an event has no readable DTSTART";
        }
        referenced_zones(event, zones);
    }
    if (!out.problem.empty()) {
        return out;
    }
    // Each referenced VTIMEZONE once (upstream drops them: times would float).
    std::vector<std::string> added;
    for (const std::string& zone : zones) {
        auto it = layout.timezones.find(zone);
        if (it == layout.timezones.end() ||
            std::find(added.begin(), added.end(), zone) != added.end()) {
            continue;
        }
        added.push_back(zone);
        std::string zone_text(text.substr(it->second.begin, it->second.end - it->second.begin));
        icalcomponent* vtimezone = icalcomponent_new_from_string(zone_text.c_str());
        if (vtimezone == nullptr) {
            continue;
        }
        drop_parse_errors(vtimezone);
        icalcomponent_add_component(calendar.get(), vtimezone);
    }
    out.ics = ical::serialize(calendar.get());
    return out;
}

}  // namespace twake::imports
