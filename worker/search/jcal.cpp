#include "worker/search/jcal.hpp"

#include <libical/ical.h>

#include <cctype>
#include <algorithm>

#include "worker/ical/instant.hpp"

namespace twake::search::jcal {

namespace {

std::string lower(std::string text) {
    for (auto& c : text) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return text;
}

// `n` digits at `text[at]`, nullopt when they are not all digits.
std::optional<int> digits(const std::string& text, std::size_t at, std::size_t n) {
    if (at + n > text.size()) {
        return std::nullopt;
    }
    int value = 0;
    for (std::size_t i = at; i < at + n; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(text[i]))) {
            return std::nullopt;
        }
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

std::optional<std::chrono::sys_days> date_of(const std::string& text) {
    // "2025-04-19"
    auto y = digits(text, 0, 4);
    auto m = digits(text, 5, 2);
    auto d = digits(text, 8, 2);
    if (!y || !m || !d || text.size() < 10 || text[4] != '-' || text[7] != '-') {
        return std::nullopt;
    }
    std::chrono::year_month_day ymd{std::chrono::year(*y),
                                    std::chrono::month(static_cast<unsigned>(*m)),
                                    std::chrono::day(static_cast<unsigned>(*d))};
    if (!ymd.ok()) {
        return std::nullopt;
    }
    return std::chrono::sys_days(ymd);
}

}  // namespace

std::optional<std::string> Property::text() const {
    if (value != nullptr && cJSON_IsString(value)) {
        return std::string(value->valuestring);
    }
    return std::nullopt;
}

std::optional<std::string> Property::parameter(const char* name) const {
    const cJSON* p = cJSON_GetObjectItemCaseSensitive(params, name);
    if (p != nullptr && cJSON_IsString(p)) {
        return std::string(p->valuestring);
    }
    return std::nullopt;
}

std::vector<const cJSON*> components(const cJSON* component, const char* name) {
    std::vector<const cJSON*> found;
    const cJSON* subs = cJSON_IsArray(component) ? cJSON_GetArrayItem(component, 2) : nullptr;
    const cJSON* sub = nullptr;
    cJSON_ArrayForEach(sub, subs) {
        const cJSON* sub_name = cJSON_GetArrayItem(sub, 0);
        if (cJSON_IsArray(sub) && cJSON_IsString(sub_name) &&
            lower(sub_name->valuestring) == name) {
            found.push_back(sub);
        }
    }
    return found;
}

std::vector<Property> properties(const cJSON* component) {
    std::vector<Property> found;
    const cJSON* props = cJSON_IsArray(component) ? cJSON_GetArrayItem(component, 1) : nullptr;
    const cJSON* prop = nullptr;
    cJSON_ArrayForEach(prop, props) {
        const cJSON* name = cJSON_GetArrayItem(prop, 0);
        const cJSON* params = cJSON_GetArrayItem(prop, 1);
        const cJSON* type = cJSON_GetArrayItem(prop, 2);
        if (!cJSON_IsArray(prop) || !cJSON_IsString(name) || !cJSON_IsString(type)) {
            continue;
        }
        found.push_back(Property{lower(name->valuestring),
                                 cJSON_IsObject(params) ? params : nullptr,
                                 lower(type->valuestring), cJSON_GetArrayItem(prop, 3)});
    }
    return found;
}

std::optional<Property> first(const std::vector<Property>& props, const char* name) {
    for (const auto& p : props) {
        if (p.name == name) {
            return p;
        }
    }
    return std::nullopt;
}

std::optional<Instant> instant_of(const Property& p) {
    auto text = p.text();
    if (!text) {
        return std::nullopt;
    }
    auto day = date_of(*text);
    if (!day) {
        return std::nullopt;
    }
    if (p.type == "date") {
        return Instant{std::chrono::sys_seconds(*day), true};
    }
    // "2025-04-19T11:00:00", then nothing, "Z", or "+02:00" / "-0530".
    auto h = digits(*text, 11, 2);
    auto mi = digits(*text, 14, 2);
    auto s = digits(*text, 17, 2);
    if (p.type != "date-time" || text->size() < 19 || (*text)[10] != 'T' || !h || !mi || !s) {
        return std::nullopt;
    }
    std::chrono::sys_seconds wall =
        *day + std::chrono::hours(*h) + std::chrono::minutes(*mi) + std::chrono::seconds(*s);
    std::string rest = text->substr(19);
    if (!rest.empty() && rest[0] == '.') {  // fractional seconds, never written by sabre
        std::size_t end = rest.find_first_not_of("0123456789", 1);
        rest = end == std::string::npos ? "" : rest.substr(end);
    }
    if (rest == "Z" || rest == "z") {
        return Instant{wall, false};
    }
    if (!rest.empty()) {
        std::string offset = rest;
        offset.erase(std::remove(offset.begin(), offset.end(), ':'), offset.end());
        auto oh = digits(offset, 1, 2);
        auto om = digits(offset, 3, 2);
        if (offset.size() != 5 || (offset[0] != '+' && offset[0] != '-') || !oh || !om) {
            return std::nullopt;
        }
        auto shift = std::chrono::hours(*oh) + std::chrono::minutes(*om);
        return Instant{offset[0] == '+' ? wall - shift : wall + shift, false};
    }
    auto tzid = p.parameter("tzid");
    if (!tzid || tzid->empty()) {
        return Instant{wall, false};
    }
    icaltimetype local = icaltime_null_time();
    auto ymd = std::chrono::year_month_day(*day);
    local.year = static_cast<int>(ymd.year());
    local.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
    local.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
    local.hour = *h;
    local.minute = *mi;
    local.second = *s;
    auto in_zone = ical::instant_in(local, *tzid);
    return Instant{in_zone ? *in_zone : wall, false};
}

std::optional<long long> duration_seconds(const std::string& text) {
    if (text.empty()) {
        return std::nullopt;
    }
    icaldurationtype d = icaldurationtype_from_string(text.c_str());
    if (icaldurationtype_is_bad_duration(d)) {
        return std::nullopt;
    }
    return static_cast<long long>(icaldurationtype_as_int(d));
}

}  // namespace twake::search::jcal
