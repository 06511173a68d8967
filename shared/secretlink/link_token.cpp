#include "shared/secretlink/link_token.hpp"

#include <openssl/rand.h>

#include <array>
#include <stdexcept>

#include "shared/config/properties.hpp"
#include "shared/json/json.hpp"
#include "shared/text/base64url.hpp"

namespace twake::secretlink {

namespace {

bool token_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

}  // namespace

std::string new_link_token() {
    std::array<unsigned char, 22> bytes;
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        throw std::runtime_error("no random bytes for a secret-link token");
    }
    return text::encode_base64url(
        std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::optional<std::string> read_link_token(std::string_view raw) {
    std::string token = config::trim(raw);
    for (char c : token) {
        if (!token_char(c)) {
            return std::nullopt;
        }
    }
    return token;
}

bool valid_path_segment(std::string_view segment) {
    if (segment.empty() || segment == "." || segment == "..") {
        return false;
    }
    for (char c : segment) {
        if (!token_char(c) && c != '.') {
            return false;
        }
    }
    return true;
}

std::optional<CalendarPath> download_path(std::string_view path) {
    constexpr std::string_view kPrefix = "/api/calendars/";
    constexpr std::string_view kSuffix = "/calendar.ics";
    if (!path.starts_with(kPrefix) || !path.ends_with(kSuffix) ||
        path.size() < kPrefix.size() + kSuffix.size()) {
        return std::nullopt;
    }
    std::string_view middle =
        path.substr(kPrefix.size(), path.size() - kPrefix.size() - kSuffix.size());
    size_t slash = middle.find('/');
    if (slash == std::string_view::npos) {
        return std::nullopt;
    }
    std::string_view home = middle.substr(0, slash);
    std::string_view calendar = middle.substr(slash + 1);
    if (!valid_path_segment(home) || !valid_path_segment(calendar)) {
        return std::nullopt;
    }
    return CalendarPath{std::string(home), std::string(calendar)};
}

std::string link_url(std::string_view self_url, std::string_view home, std::string_view calendar,
                     std::string_view token) {
    std::string url(self_url);
    url += "/api/calendars/";
    url += home;
    url += '/';
    url += calendar;
    url += "/calendar.ics?token=";
    url += token;
    return url;
}

std::optional<std::string> export_path(std::string_view home, std::string_view calendar,
                                       std::string_view metadata_json) {
    std::string own = "/calendars/" + std::string(home) + "/" + std::string(calendar);
    auto doc = json::Json::parse(metadata_json);
    const cJSON* source =
        doc ? cJSON_GetObjectItemCaseSensitive(doc->get(), "calendarserver:source") : nullptr;
    if (source == nullptr || cJSON_IsNull(source)) {
        return own;
    }
    // esn-sabre: {"_links":{"self":{"href":"/calendars/<ownerHome>/<cal>.json"}}}; the path
    // without ".json" exports the same calendar.
    const cJSON* links = cJSON_GetObjectItemCaseSensitive(source, "_links");
    const cJSON* self = links ? cJSON_GetObjectItemCaseSensitive(links, "self") : nullptr;
    auto href = json::string_member(self, "href");
    if (!href || href->empty()) {
        return std::nullopt;
    }
    std::string path = *href;
    constexpr std::string_view kJson = ".json";
    if (path.size() > kJson.size() && path.ends_with(kJson)) {
        path.resize(path.size() - kJson.size());
    }
    return path;
}

}  // namespace twake::secretlink
