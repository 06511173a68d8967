#include "worker/mail/notification_mail.hpp"

#include <libical/ical.h>

#include <cstdio>
#include <stdexcept>

#include "shared/identity/address.hpp"
#include "worker/ical/instant.hpp"

namespace twake::mail {

namespace {

std::string required(const cJSON* root, const char* key) {
    auto value = json::string_member(root, key);
    if (!value || value->empty()) {
        throw std::invalid_argument(std::string("`") + key + "` is missing or not a string");
    }
    return *value;
}

std::string upper(std::string text) {
    for (auto& c : text) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return text;
}

// {"isAllDay", "date": "yyyy-MM-dd HH:mm:ss.000000", "timezone"} as an EventTime; nullopt
// when unreadable.
std::optional<EventTime> event_time(const cJSON* value) {
    auto date = json::string_member(value, "date");
    if (!date) {
        return std::nullopt;
    }
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    if (std::sscanf(date->c_str(), "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &s) < 3) {
        return std::nullopt;
    }
    EventTime out;
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(value, "isAllDay"))) {
        out.date = std::chrono::year_month_day(std::chrono::year(y),
                                               std::chrono::month(static_cast<unsigned>(mo)),
                                               std::chrono::day(static_cast<unsigned>(d)));
        out.instant = std::chrono::sys_days(*out.date);
        return out;
    }
    icaltimetype t = icaltime_null_time();
    t.year = y;
    t.month = mo;
    t.day = d;
    t.hour = h;
    t.minute = mi;
    t.second = s;
    // A zone ICU does not know: the time is read as UTC.
    std::string zone_name = json::string_member(value, "timezone").value_or("UTC");
    out.instant = ical::instant_in(t, zone_name).value_or(ical::instant_of(t));
    return out;
}

std::optional<std::string> previous_text(const cJSON* changes, const char* key) {
    const cJSON* change = cJSON_GetObjectItemCaseSensitive(changes, key);
    if (!cJSON_IsObject(change)) {
        return std::nullopt;
    }
    return json::string_member(change, "previous").value_or("");
}

// The attendee (or resource) of the event with that address, else a person with the address.
Person person_in(const CalendarEvent& event, const std::string& address) {
    for (const auto* list : {&event.attendees, &event.resources}) {
        for (const auto& p : *list) {
            if (identity::equal_ignoring_case(p.email, address)) {
                return p;
            }
        }
    }
    if (event.organizer && identity::equal_ignoring_case(event.organizer->email, address)) {
        return *event.organizer;
    }
    return Person{"", address, ""};
}

}  // namespace

Notification parse_notification(std::string_view body) {
    auto doc = json::Json::parse(body);
    if (!doc || !cJSON_IsObject(doc->get())) {
        throw std::invalid_argument("not a JSON object");
    }
    const cJSON* root = doc->get();
    Notification n;
    n.sender = identity::lower(required(root, "senderEmail"));
    n.recipient = identity::lower(required(root, "recipientEmail"));
    n.method = upper(required(root, "method"));
    n.event = required(root, "event");
    n.calendar_uri = json::string_member(root, "calendarURI");
    n.event_path = json::string_member(root, "eventPath");
    n.old_event = json::string_member(root, "oldEvent");
    n.new_event = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "isNewEvent"));
    const cJSON* changes = cJSON_GetObjectItemCaseSensitive(root, "changes");
    if (cJSON_IsObject(changes)) {
        n.changes = json::Json::copy_of(changes);
    }
    return n;
}

std::optional<MailKind> mail_kind(const Notification& n) {
    if (n.method == "REQUEST") {
        if (n.new_event) {
            return MailKind::Invite;
        }
        if (n.changes && n.changes.get()->child != nullptr) {
            return MailKind::Update;
        }
        return std::nullopt;
    }
    if (n.method == "CANCEL") {
        return MailKind::Cancel;
    }
    if (n.method == "REPLY") {
        return MailKind::Reply;
    }
    if (n.method == "COUNTER") {
        return MailKind::Counter;
    }
    throw std::invalid_argument("unknown method " + n.method);
}

EventChanges previous_values(const cJSON* changes) {
    EventChanges out;
    if (!cJSON_IsObject(changes)) {
        return out;
    }
    out.summary = previous_text(changes, "summary");
    out.location = previous_text(changes, "location");
    out.description = previous_text(changes, "description");
    for (auto [key, target] : {std::pair{"dtstart", &out.start}, std::pair{"dtend", &out.end}}) {
        const cJSON* change = cJSON_GetObjectItemCaseSensitive(changes, key);
        if (cJSON_IsObject(change)) {
            *target = event_time(cJSON_GetObjectItemCaseSensitive(change, "previous"));
        }
    }
    return out;
}

MailFacts mail_facts(const Notification& n, MailKind kind) {
    MailFacts facts;
    facts.kind = kind;
    facts.event = read_first_event(n.event);
    facts.recipient = person_in(facts.event, n.recipient);
    facts.recipient.partstat.clear();
    switch (kind) {
        case MailKind::Update:
            facts.changes = previous_values(n.changes.get());
            break;
        case MailKind::Cancel:
            facts.actor = facts.event.organizer;
            break;
        case MailKind::Reply: {
            Person replying = person_in(facts.event, n.sender);
            facts.partstat = replying.partstat.empty() ? "NEEDS-ACTION" : replying.partstat;
            facts.actor = replying;
            break;
        }
        case MailKind::Counter:
            facts.actor = person_in(facts.event, n.sender);
            if (n.old_event) {
                try {
                    facts.old_event = read_first_event(*n.old_event);
                } catch (const std::invalid_argument&) {
                    facts.old_event.reset();  // the mail still shows the proposal
                }
            }
            break;
        default:
            break;
    }
    return facts;
}

std::string calendar_home(std::string_view event_path) {
    constexpr std::string_view kPrefix = "/calendars/";
    if (!event_path.starts_with(kPrefix)) {
        return {};
    }
    event_path.remove_prefix(kPrefix.size());
    return std::string(event_path.substr(0, event_path.find('/')));
}

}  // namespace twake::mail
