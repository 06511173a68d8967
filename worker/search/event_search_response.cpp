#include "worker/search/event_search_response.hpp"

#include <cstdio>
#include <ctime>
#include <optional>
#include <stdexcept>

#include "shared/json/json.hpp"

namespace twake::search {

namespace {

using json::Json;

const cJSON* member(const cJSON* object, const char* key) {
    return object != nullptr ? cJSON_GetObjectItemCaseSensitive(object, key) : nullptr;
}

// A string member as it is, or JSON null.
Json text_or_null(const cJSON* source, const char* key) {
    const cJSON* item = member(source, key);
    return cJSON_IsString(item) ? Json::copy_of(item) : Json::null();
}

Json bool_or_null(const cJSON* source, const char* key) {
    const cJSON* item = member(source, key);
    return cJSON_IsBool(item) ? Json::copy_of(item) : Json::null();
}

// Seconds since the epoch of the documents' "2025-04-19T11:00:00Z".
std::optional<long long> epoch_seconds(const cJSON* source, const char* key) {
    auto value = json::string_member(source, key);
    std::tm tm{};
    char zone = 0;
    if (!value ||
        std::sscanf(value->c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon,
                    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &zone) != 7 ||
        zone != 'Z') {
        return std::nullopt;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return static_cast<long long>(timegm(&tm));
}

// Whole days from start to end, 0 when either is unknown or the end is not after the start.
int duration_in_days(const cJSON* source) {
    auto start = epoch_seconds(source, "start");
    auto end = epoch_seconds(source, "end");
    if (!start || !end || *end <= *start) {
        return 0;
    }
    return static_cast<int>((*end - *start) / 86400);
}

Json person(const cJSON* item) {
    Json out = Json::object();
    out.set("email", text_or_null(item, "email"));
    out.set("cn", text_or_null(item, "cn"));
    return out;
}

Json people(const cJSON* list) {
    Json out = Json::array();
    const cJSON* item = nullptr;
    if (cJSON_IsArray(list)) {
        cJSON_ArrayForEach(item, list) {
            out.push(person(item));
        }
    }
    return out;
}

Json link(const std::string& href) {
    Json self = Json::object();
    self.set("href", href);
    Json links = Json::object();
    links.set("self", std::move(self));
    return links;
}

Json event(const cJSON* source) {
    auto calendar_url = json::string_member(source, "calendarURL").value_or("");
    auto slash = calendar_url.find('/');
    std::string home = calendar_url.substr(0, slash);
    std::string calendar = slash == std::string::npos ? "" : calendar_url.substr(slash + 1);
    auto uid = json::string_member(source, "eventUid").value_or("");
    auto file = json::string_member(source, "resourceName").value_or(uid + ".ics");

    const cJSON* resources = member(source, "resources");
    Json data = Json::object();
    data.set("uid", uid);
    data.set("summary", text_or_null(source, "summary"));
    data.set("location", text_or_null(source, "location"));
    data.set("description", text_or_null(source, "description"));
    data.set("start", text_or_null(source, "start"));
    data.set("end", text_or_null(source, "end"));
    data.set("class", text_or_null(source, "clazz"));
    data.set("allDay", json::bool_member(source, "allDay").value_or(false));
    data.set("hasResources", cJSON_IsArray(resources) && cJSON_GetArraySize(resources) > 0);
    data.set("durationInDays", duration_in_days(source));
    data.set("isRecurrentMaster", bool_or_null(source, "isRecurrentMaster"));
    data.set("attendees", people(member(source, "attendees")));
    data.set("organizer", person(member(source, "organizer")));
    data.set("resources", people(resources));
    data.set("x-openpaas-videoconference", text_or_null(source, "videoconferenceUrl"));
    data.set("x-openpaas-booking-link", text_or_null(source, "bookingLinkId"));
    data.set("userId", home);
    data.set("calendarId", calendar);
    data.set("dtstamp", text_or_null(source, "dtstamp"));

    Json out = Json::object();
    out.set("_links", link("/calendars/" + home + "/" + calendar + "/" + file));
    out.set("data", std::move(data));
    return out;
}

std::string response(Json events, std::string_view path, int limit, int offset) {
    int count = cJSON_GetArraySize(events.get());
    Json embedded = Json::object();
    embedded.set("events", std::move(events));
    Json out = Json::object();
    out.set("_links", link(std::string(path) + "?limit=" + std::to_string(limit) +
                           "&offset=" + std::to_string(offset)));
    out.set("_total_hits", count);  // the events of this page (what clients read)
    out.set("_embedded", std::move(embedded));
    return out.dump();
}

}  // namespace

std::string event_search_response(std::string_view opensearch_answer, std::string_view path,
                                  int limit, int offset) {
    auto doc = Json::parse(opensearch_answer);
    const cJSON* hits = doc ? member(member(doc->get(), "hits"), "hits") : nullptr;
    if (!cJSON_IsArray(hits)) {
        throw std::runtime_error("OpenSearch's answer holds no hits");
    }
    Json events = Json::array();
    const cJSON* hit = nullptr;
    cJSON_ArrayForEach(hit, hits) {
        const cJSON* source = member(hit, "_source");
        if (cJSON_IsObject(source)) {
            events.push(event(source));
        }
    }
    return response(std::move(events), path, limit, offset);
}

std::string empty_event_search_response(std::string_view path, int limit, int offset) {
    return response(Json::array(), path, limit, offset);
}

}  // namespace twake::search
