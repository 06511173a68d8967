#include "shared/json/json.hpp"

#include <cmath>
#include <cstdio>
#include <new>

namespace twake::json {

namespace {

cJSON* checked(cJSON* node) {
    if (node == nullptr) {
        throw std::bad_alloc();
    }
    return node;
}

cJSON* make_string(std::string_view value) {
    // cJSON needs a NUL-terminated string.
    return checked(cJSON_CreateString(std::string(value).c_str()));
}

}  // namespace

Json Json::object() {
    return Json(checked(cJSON_CreateObject()));
}

Json Json::array() {
    return Json(checked(cJSON_CreateArray()));
}

Json Json::copy_of(const cJSON* node) {
    if (node == nullptr) {
        return null();
    }
    return Json(checked(cJSON_Duplicate(node, true)));
}

Json Json::null() {
    return Json(checked(cJSON_CreateNull()));
}

std::optional<Json> Json::parse(std::string_view text) {
    cJSON* node = cJSON_ParseWithLength(text.data(), text.size());
    if (node == nullptr) {
        return std::nullopt;
    }
    return Json(node);
}

Json& Json::replace_member(const char* key, cJSON* item) {
    if (cJSON_GetObjectItemCaseSensitive(node_.get(), key) != nullptr) {
        cJSON_ReplaceItemInObjectCaseSensitive(node_.get(), key, item);
    } else {
        cJSON_AddItemToObject(node_.get(), key, item);
    }
    return *this;
}

Json& Json::set(const char* key, std::string_view value) {
    return replace_member(key, make_string(value));
}

Json& Json::set(const char* key, double value) {
    return replace_member(key, checked(cJSON_CreateNumber(value)));
}

Json& Json::set(const char* key, bool value) {
    return replace_member(key, checked(cJSON_CreateBool(value)));
}

Json& Json::set_null(const char* key) {
    return replace_member(key, checked(cJSON_CreateNull()));
}

Json& Json::set(const char* key, Json child) {
    return replace_member(key, child.node_.release());
}

Json& Json::push(Json child) {
    cJSON_AddItemToArray(node_.get(), child.node_.release());
    return *this;
}

Json& Json::push(std::string_view value) {
    cJSON_AddItemToArray(node_.get(), make_string(value));
    return *this;
}

std::string Json::dump() const {
    if (!node_) {
        return "null";
    }
    std::unique_ptr<char, decltype(&cJSON_free)> text(cJSON_PrintUnformatted(node_.get()),
                                                      &cJSON_free);
    if (!text) {
        throw std::bad_alloc();
    }
    return std::string(text.get());
}

std::optional<std::string> string_member(const cJSON* object, const char* key) {
    const cJSON* item = cJSON_GetObjectItemCaseSensitive(object, key);
    if (!cJSON_IsString(item) || item->valuestring == nullptr) {
        return std::nullopt;
    }
    return std::string(item->valuestring);
}

std::optional<double> number_member(const cJSON* object, const char* key) {
    const cJSON* item = cJSON_GetObjectItemCaseSensitive(object, key);
    if (!cJSON_IsNumber(item)) {
        return std::nullopt;
    }
    return item->valuedouble;
}

std::optional<long long> integer_value(const cJSON* item) {
    constexpr double kExact = 9007199254740992.0;  // 2^53
    if (!cJSON_IsNumber(item)) {
        return std::nullopt;
    }
    double d = item->valuedouble;
    if (!std::isfinite(d) || std::trunc(d) != d || std::fabs(d) > kExact) {
        return std::nullopt;
    }
    return static_cast<long long>(d);
}

std::optional<long long> integer_member(const cJSON* object, const char* key) {
    return integer_value(cJSON_GetObjectItemCaseSensitive(object, key));
}

std::optional<bool> bool_member(const cJSON* object, const char* key) {
    const cJSON* item = cJSON_GetObjectItemCaseSensitive(object, key);
    if (!cJSON_IsBool(item)) {
        return std::nullopt;
    }
    return cJSON_IsTrue(item);
}

std::string quote(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    out.push_back('"');
    for (unsigned char c : text) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out.push_back(static_cast<char>(c));
                }
        }
    }
    out.push_back('"');
    return out;
}

}  // namespace twake::json
