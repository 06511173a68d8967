#include "worker/realtime/server_messages.hpp"

#include "shared/json/json.hpp"

namespace twake::realtime {

namespace {

json::Json string_array(const std::vector<std::string>& items) {
    json::Json array = json::Json::array();
    for (const auto& item : items) {
        array.push(item);
    }
    return array;
}

json::Json string_map(const std::map<std::string, std::string>& items) {
    json::Json object = json::Json::object();
    for (const auto& [key, value] : items) {
        object.set(key.c_str(), value);
    }
    return object;
}

}  // namespace

std::string RegisterReply::to_json() const {
    json::Json reply = json::Json::object();
    if (!registered.empty()) {
        reply.set("registered", string_array(registered));
    }
    if (!not_registered.empty()) {
        reply.set("notRegistered", string_map(not_registered));
    }
    if (!unregistered.empty()) {
        reply.set("unregistered", string_array(unregistered));
    }
    if (!not_unregistered.empty()) {
        reply.set("notUnregistered", string_map(not_unregistered));
    }
    return reply.dump();
}

std::string calendar_list_registered_message() {
    return R"({"calendarListRegistered":true})";
}

std::string error_message(std::string_view error) {
    return json::Json::object().set("error", error).dump();
}

std::string empty_message() {
    return "{}";
}

std::string display_notification_message(bool enabled) {
    return json::Json::object().set("displayNotificationEnabled", enabled).dump();
}

std::string sync_token_message(const std::string& path, const std::string& token) {
    json::Json inner = json::Json::object();
    inner.set("syncToken", token);
    json::Json outer = json::Json::object();
    outer.set(path.c_str(), std::move(inner));
    return outer.dump();
}

std::string calendar_list_message(std::string_view change, const std::string& path) {
    json::Json changes = json::Json::object();
    changes.set(std::string(change).c_str(), string_array({path}));
    return json::Json::object().set("calendarList", std::move(changes)).dump();
}

std::string alarm_message(const DisplayAlarm& alarm) {
    json::Json item = json::Json::object();
    item.set("eventSummary", alarm.summary);
    item.set("eventURL", alarm.event_url);
    item.set("eventStartTime", alarm.start_time);
    json::Json alarms = json::Json::array();
    alarms.push(std::move(item));
    return json::Json::object().set("alarms", std::move(alarms)).dump();
}

}  // namespace twake::realtime
