#include "worker/search/event_search_request.hpp"

#include <algorithm>
#include <charconv>

#include "shared/identity/address.hpp"
#include "shared/json/json.hpp"
#include "shared/text/uuid.hpp"
#include "worker/errors/invalid_input.hpp"

namespace twake::search {

namespace {

using errors::InvalidInput;

bool blank(std::string_view text) {
    return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// An integer parameter, or nullopt when it is not one.
std::optional<int> integer(const std::string& text) {
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

int read_limit(const std::optional<std::string>& param) {
    if (!param || blank(*param)) {
        return 30;
    }
    auto value = integer(*param);
    if (!value) {
        throw InvalidInput("Invalid limit param: " + *param);
    }
    if (*value <= 0) {
        throw InvalidInput("limit param must be positive");
    }
    if (*value > kMaxSearchLimit) {
        throw InvalidInput("limit param must not exceed " + std::to_string(kMaxSearchLimit));
    }
    return *value;
}

int read_offset(const std::optional<std::string>& param) {
    if (!param || blank(*param)) {
        return 0;
    }
    auto value = integer(*param);
    if (!value) {
        throw InvalidInput("Invalid offset param: " + *param);
    }
    if (*value < 0) {
        throw InvalidInput("offset param must be non-negative");
    }
    return *value;
}

// A member that must be a string when present; null reads as absent.
std::optional<std::string> text_member(const cJSON* object, const char* key) {
    const cJSON* item = cJSON_GetObjectItemCaseSensitive(object, key);
    if (item == nullptr || cJSON_IsNull(item)) {
        return std::nullopt;
    }
    if (!cJSON_IsString(item)) {
        throw InvalidInput(std::string(key) + " must be a string");
    }
    return std::string(item->valuestring);
}

// A member that must be an array when present; null reads as absent.
const cJSON* array_member(const cJSON* object, const char* key) {
    const cJSON* item = cJSON_GetObjectItemCaseSensitive(object, key);
    if (item == nullptr || cJSON_IsNull(item)) {
        return nullptr;
    }
    if (!cJSON_IsArray(item)) {
        throw InvalidInput(std::string(key) + " must be an array");
    }
    return item;
}

// A calendar id of the request: it becomes a path segment and an index term, so it may
// hold neither '/' nor control characters.
bool valid_segment(const std::string& value) {
    return std::none_of(value.begin(), value.end(), [](char c) {
        return c == '/' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    });
}

std::vector<CalendarUrl> read_calendars(const cJSON* body) {
    std::vector<CalendarUrl> calendars;
    const cJSON* list = array_member(body, "calendars");
    if (list == nullptr) {
        return calendars;
    }
    const cJSON* item = nullptr;
    cJSON_ArrayForEach(item, list) {
        if (!cJSON_IsObject(item)) {
            throw InvalidInput("calendars must hold objects");
        }
        auto user = text_member(item, "userId");
        if (!user || blank(*user)) {
            throw InvalidInput("userId field is missing");
        }
        auto calendar = text_member(item, "calendarId");
        if (!calendar || blank(*calendar)) {
            throw InvalidInput("calendarId field is missing");
        }
        if (!valid_segment(*user) || !valid_segment(*calendar)) {
            throw InvalidInput("Invalid calendar: " + *user + "/" + *calendar);
        }
        CalendarUrl url = *user + "/" + *calendar;
        if (std::find(calendars.begin(), calendars.end(), url) == calendars.end()) {
            calendars.push_back(std::move(url));
        }
    }
    return calendars;
}

std::vector<std::string> read_addresses(const cJSON* body, const char* key, const char* role) {
    std::vector<std::string> addresses;
    const cJSON* list = array_member(body, key);
    if (list == nullptr) {
        return addresses;
    }
    const cJSON* item = nullptr;
    cJSON_ArrayForEach(item, list) {
        auto address =
            cJSON_IsString(item) ? identity::parse_address(item->valuestring) : std::nullopt;
        if (!address) {
            throw InvalidInput(std::string("Invalid ") + role + " email address");
        }
        addresses.push_back(address->full());
    }
    return addresses;
}

}  // namespace

EventSearchRequest read_event_search(std::string_view body, const std::optional<std::string>& limit,
                                     const std::optional<std::string>& offset) {
    EventSearchRequest request;
    request.limit = read_limit(limit);
    request.offset = read_offset(offset);
    if (request.offset > kMaxSearchWindow - request.limit) {
        throw InvalidInput("offset + limit must not exceed " + std::to_string(kMaxSearchWindow));
    }
    // No body at all reads as an empty search (every member is optional).
    auto doc = json::Json::parse(blank(body) ? std::string_view("{}") : body);
    if (!doc || !cJSON_IsObject(doc->get())) {
        throw InvalidInput("The body must be a JSON object");
    }
    const cJSON* root = doc->get();
    request.calendars = read_calendars(root);
    request.text = text_member(root, "query").value_or("");
    request.organizers = read_addresses(root, "organizers", "organizer");
    request.attendees = read_addresses(root, "attendees", "attendee");
    if (auto link = text_member(root, "bookingLink"); link && !blank(*link)) {
        if (!text::is_uuid(*link)) {
            throw InvalidInput("Invalid bookingLink: " + *link);
        }
        request.booking_link = identity::lower(*link);
    }
    return request;
}

}  // namespace twake::search
