#include "worker/realtime/push_event.hpp"

#include "shared/json/json.hpp"

namespace twake::realtime {

namespace {

constexpr std::string_view kUserPrefix = "username:";

struct TypeName {
    PushEvent::Type type;
    std::string_view name;
};
constexpr TypeName kTypes[] = {
    {PushEvent::Type::CalendarChange, "calendarChange"},
    {PushEvent::Type::AddressBookChange, "addressBookChange"},
    {PushEvent::Type::CalendarList, "calendarList"},
    {PushEvent::Type::Alarm, "alarm"},
    {PushEvent::Type::SessionRevoked, "sessionRevoked"},
};

std::string_view name_of(PushEvent::Type type) {
    for (const auto& t : kTypes) {
        if (t.type == type) {
            return t.name;
        }
    }
    return "";
}

}  // namespace

PushEvent PushEvent::collection_changed(const CollectionPath& path) {
    PushEvent event;
    event.type =
        path.kind == CollectionKind::Calendar ? Type::CalendarChange : Type::AddressBookChange;
    event.key = path.key();
    event.path = path.path();
    return event;
}

PushEvent PushEvent::calendar_list(const std::string& owner, std::string_view change,
                                   const std::string& path) {
    PushEvent event;
    event.type = Type::CalendarList;
    event.key = std::string(kUserPrefix) + owner;
    event.path = path;
    event.change = change;
    return event;
}

PushEvent PushEvent::display_alarm(const std::string& user, DisplayAlarm alarm) {
    PushEvent event;
    event.type = Type::Alarm;
    event.key = std::string(kUserPrefix) + user;
    event.alarm = std::move(alarm);
    return event;
}

PushEvent PushEvent::session_revoked(const std::string& sid) {
    PushEvent event;
    event.type = Type::SessionRevoked;
    event.key = "session:" + sid;
    event.sid = sid;
    return event;
}

std::optional<std::string> PushEvent::user() const {
    if (!key.starts_with(kUserPrefix)) {
        return std::nullopt;
    }
    return key.substr(kUserPrefix.size());
}

std::string encode_envelope(const Envelope& envelope) {
    const PushEvent& e = envelope.event;
    json::Json event = json::Json::object();
    event.set("type", name_of(e.type));
    switch (e.type) {
        case PushEvent::Type::CalendarChange:
        case PushEvent::Type::AddressBookChange:
            event.set("path", e.path);
            break;
        case PushEvent::Type::CalendarList:
            event.set("path", e.path);
            event.set("change", e.change);
            break;
        case PushEvent::Type::Alarm:
            event.set("eventSummary", e.alarm.summary);
            event.set("eventURL", e.alarm.event_url);
            event.set("eventStartTime", e.alarm.start_time);
            break;
        case PushEvent::Type::SessionRevoked:
            event.set("sid", e.sid);
            break;
    }
    json::Json root = json::Json::object();
    root.set("v", 1);
    root.set("node", envelope.node);
    root.set("key", e.key);
    root.set("event", std::move(event));
    return root.dump();
}

std::optional<Envelope> decode_envelope(std::string_view text) {
    auto doc = json::Json::parse(text);
    if (!doc) {
        return std::nullopt;
    }
    const cJSON* root = doc->get();
    auto version = json::integer_member(root, "v");
    auto node = json::string_member(root, "node");
    auto key = json::string_member(root, "key");
    const cJSON* event = cJSON_GetObjectItemCaseSensitive(root, "event");
    auto type = json::string_member(event, "type");
    if (!version || *version != 1 || !node || !key || !type) {
        return std::nullopt;
    }
    Envelope out{*node, {}};
    out.event.key = *key;
    const TypeName* found = nullptr;
    for (const auto& t : kTypes) {
        if (t.name == *type) {
            found = &t;
        }
    }
    if (found == nullptr) {
        return std::nullopt;
    }
    out.event.type = found->type;
    auto member = [&](const char* name, std::string& into) {
        auto value = json::string_member(event, name);
        if (value) {
            into = *value;
        }
        return value.has_value();
    };
    switch (found->type) {
        case PushEvent::Type::CalendarChange:
        case PushEvent::Type::AddressBookChange:
            if (!member("path", out.event.path)) {
                return std::nullopt;
            }
            break;
        case PushEvent::Type::CalendarList:
            if (!member("path", out.event.path) || !member("change", out.event.change)) {
                return std::nullopt;
            }
            break;
        case PushEvent::Type::Alarm:
            if (!member("eventSummary", out.event.alarm.summary) ||
                !member("eventURL", out.event.alarm.event_url) ||
                !member("eventStartTime", out.event.alarm.start_time)) {
                return std::nullopt;
            }
            break;
        case PushEvent::Type::SessionRevoked:
            if (!member("sid", out.event.sid) || out.event.sid.empty()) {
                return std::nullopt;
            }
            break;
    }
    return out;
}

}  // namespace twake::realtime
