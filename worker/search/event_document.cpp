#include "worker/search/event_document.hpp"

#include <strings.h>

#include <algorithm>
#include <cmath>

#include "shared/json/json.hpp"
#include "shared/text/utc_time.hpp"
#include "worker/ical/calendar.hpp"
#include "worker/ical/jcal_writer.hpp"
#include "worker/search/jcal.hpp"

namespace twake::search {

namespace {

struct Message {
    json::Json root;
    EventPath path;
    const cJSON* vcalendar = nullptr;
};

Message read_message(std::string_view body) {
    auto root = json::Json::parse(body);
    if (!root || !cJSON_IsObject(root->get())) {
        throw InvalidEventMessage("the message is not a JSON object");
    }
    auto event_path = json::string_member(root->get(), "eventPath");
    if (!event_path) {
        throw InvalidEventMessage("the message has no eventPath");
    }
    EventPath path = parse_event_path(*event_path);
    const cJSON* event = cJSON_GetObjectItemCaseSensitive(root->get(), "event");
    const cJSON* name = cJSON_GetArrayItem(event, 0);
    if (!cJSON_IsArray(event) || !cJSON_IsString(name) ||
        std::string_view(name->valuestring) != "vcalendar") {
        throw InvalidEventMessage("the message's event is not a jCal vcalendar");
    }
    return Message{std::move(*root), std::move(path), event};
}

std::string iso(std::chrono::sys_seconds when) {
    return text::iso8601_utc_seconds(when);
}

// "20250419T040000Z" for a date-time (in UTC), "20250419" for a date: the same occurrence
// gets the same id whether its RECURRENCE-ID came as jCal or iCalendar text.
std::string canonical_recurrence_id(const jcal::Instant& at) {
    std::string utc = iso(at.when);  // 2025-04-19T04:00:00Z
    std::string compact = utc.substr(0, 4) + utc.substr(5, 2) + utc.substr(8, 2);
    if (at.date_only) {
        return compact;
    }
    return compact + "T" + utc.substr(11, 2) + utc.substr(14, 2) + utc.substr(17, 2) + "Z";
}

void set_instant(json::Json& doc, const char* key,
                 const std::optional<std::chrono::sys_seconds>& when) {
    if (when) {
        doc.set(key, iso(*when));
    } else {
        doc.set_null(key);
    }
}

void set_text(json::Json& doc, const char* key, const std::vector<jcal::Property>& props,
              const char* name) {
    auto p = jcal::first(props, name);
    auto text = p ? p->text() : std::nullopt;
    if (text) {
        doc.set(key, *text);
    } else {
        doc.set_null(key);
    }
}

// {cn, email} of an ORGANIZER or ATTENDEE; nullopt when its address is unusable.
std::optional<json::Json> person(const jcal::Property& p) {
    auto value = p.text();
    if (!value) {
        return std::nullopt;
    }
    std::string email = ical::address_of(value->c_str());
    if (email.empty() || email.find(':') != std::string::npos) {
        return std::nullopt;
    }
    json::Json out = json::Json::object();
    auto cn = p.parameter("cn");
    if (cn) {
        out.set("cn", *cn);
    } else {
        out.set_null("cn");
    }
    out.set("email", email);
    return out;
}

EventDocument document_of(const EventPath& path, const cJSON* vevent) {
    auto props = jcal::properties(vevent);
    auto uid_prop = jcal::first(props, "uid");
    auto uid = uid_prop ? uid_prop->text() : std::nullopt;
    if (!uid || uid->empty()) {
        throw InvalidEventMessage("a VEVENT has no UID");
    }
    json::Json doc = json::Json::object();
    doc.set("baseCalendarId", path.home);
    doc.set("eventUid", *uid);
    set_text(doc, "summary", props, "summary");
    set_text(doc, "location", props, "location");
    set_text(doc, "description", props, "description");
    set_text(doc, "clazz", props, "class");

    std::optional<jcal::Instant> start;
    if (auto dtstart = jcal::first(props, "dtstart")) {
        start = jcal::instant_of(*dtstart);
    }
    std::optional<std::chrono::sys_seconds> end;
    std::optional<long long> duration;
    if (auto p = jcal::first(props, "duration"); p && p->text()) {
        duration = jcal::duration_seconds(*p->text());
    }
    if (start && duration) {
        end = start->when + std::chrono::seconds(*duration);
    } else if (auto dtend = jcal::first(props, "dtend")) {
        if (auto at = jcal::instant_of(*dtend)) {
            end = at->when;
        }
    }
    std::optional<jcal::Instant> stamp;
    if (auto p = jcal::first(props, "dtstamp"); p && p->type == "date-time") {
        stamp = jcal::instant_of(*p);
    }
    set_instant(doc, "start", start ? std::optional(start->when) : std::nullopt);
    set_instant(doc, "end", end);
    set_instant(doc, "dtstamp", stamp ? std::optional(stamp->when) : std::nullopt);
    doc.set("allDay", start.has_value() && start->date_only);

    std::optional<bool> master;
    std::optional<std::string> recurrence_id;
    if (auto rid = jcal::first(props, "recurrence-id")) {
        master = false;
        auto at = jcal::instant_of(*rid);
        recurrence_id = at ? canonical_recurrence_id(*at) : rid->text().value_or("");
    } else if (jcal::first(props, "rrule")) {
        master = true;
    }
    master ? doc.set("isRecurrentMaster", *master) : doc.set_null("isRecurrentMaster");

    auto organizer_prop = jcal::first(props, "organizer");
    auto organizer = organizer_prop ? person(*organizer_prop) : std::nullopt;
    organizer ? doc.set("organizer", std::move(*organizer)) : doc.set_null("organizer");
    json::Json attendees = json::Json::array();
    json::Json resources = json::Json::array();
    for (const auto& p : props) {
        if (p.name != "attendee") {
            continue;
        }
        if (auto who = person(p)) {
            auto cutype = p.parameter("cutype");
            bool resource = cutype && strcasecmp(cutype->c_str(), "RESOURCE") == 0;
            (resource ? resources : attendees).push(std::move(*who));
        }
    }
    doc.set("attendees", std::move(attendees));
    doc.set("resources", std::move(resources));
    set_text(doc, "videoconferenceUrl", props, "x-openpaas-videoconference");
    set_text(doc, "bookingLinkId", props, "x-openpaas-booking-link");
    doc.set("calendarURL", path.calendar_url());

    std::optional<long long> sequence;
    auto seq = jcal::first(props, "sequence");
    if (seq && seq->type == "integer") {
        sequence = json::integer_value(seq->value);
    }
    sequence ? doc.set("sequence", static_cast<double>(*sequence)) : doc.set_null("sequence");
    doc.set("resourceName", path.file);
    recurrence_id ? doc.set("recurrenceId", *recurrence_id) : doc.set_null("recurrenceId");
    doc.set("collapseRank", master == false ? 1 : 0);

    std::string id = path.home + ":" + path.calendar + ":" + *uid + ":";
    if (!master) {
        id += "single";
    } else if (*master) {
        id += "master";
    } else {
        id += "recurrence:" + *recurrence_id;
    }
    return EventDocument{std::move(id),  path.home, path.calendar_url(), *uid,
                         master == true, sequence,  doc.dump()};
}

}  // namespace

EventPath parse_event_path(std::string_view path) {
    std::vector<std::string> segments;
    std::size_t at = 0;
    if (!path.empty() && path.front() == '/') {
        at = 1;
    }
    while (at <= path.size()) {
        std::size_t slash = path.find('/', at);
        if (slash == std::string_view::npos) {
            slash = path.size();
        }
        segments.emplace_back(path.substr(at, slash - at));
        at = slash + 1;
    }
    if (segments.size() != 4 || segments[0] != "calendars") {
        throw InvalidEventMessage("eventPath is not /calendars/{home}/{calendar}/{file}");
    }
    for (const auto& s : segments) {
        if (s.empty()) {
            throw InvalidEventMessage("eventPath has an empty segment");
        }
    }
    return EventPath{segments[1], segments[2], segments[3]};
}

std::vector<EventDocument> documents_of_message(std::string_view body) {
    Message message = read_message(body);
    std::vector<EventDocument> documents;
    for (const cJSON* vevent : jcal::components(message.vcalendar, "vevent")) {
        documents.push_back(document_of(message.path, vevent));
    }
    return documents;
}

std::vector<EventDocument> documents_of_object(const EventPath& path, const std::string& ics) {
    ical::Component calendar;
    try {
        calendar = ical::parse_calendar(ics);
    } catch (const std::invalid_argument& e) {
        throw InvalidEventMessage(std::string("the object is not a VCALENDAR: ") + e.what());
    }
    json::Json as_jcal = ical::to_jcal(calendar.get());
    std::vector<EventDocument> documents;
    for (const cJSON* vevent : jcal::components(as_jcal.get(), "vevent")) {
        documents.push_back(document_of(path, vevent));
    }
    return documents;
}

DeletedEvents deleted_events_of_message(std::string_view body) {
    Message message = read_message(body);
    DeletedEvents deleted{message.path, {}};
    for (const cJSON* vevent : jcal::components(message.vcalendar, "vevent")) {
        auto uid = jcal::first(jcal::properties(vevent), "uid");
        auto text = uid ? uid->text() : std::nullopt;
        if (text && !text->empty() &&
            std::find(deleted.uids.begin(), deleted.uids.end(), *text) == deleted.uids.end()) {
            deleted.uids.push_back(*text);
        }
    }
    return deleted;
}

}  // namespace twake::search
