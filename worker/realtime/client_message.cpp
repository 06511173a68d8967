#include "worker/realtime/client_message.hpp"

#include <algorithm>
#include <set>

#include "shared/json/json.hpp"

namespace twake::realtime {

namespace {

std::vector<std::string> string_entries(const cJSON* array) {
    std::vector<std::string> out;
    if (!cJSON_IsArray(array)) {
        return out;
    }
    std::set<std::string> seen;
    for (const cJSON* item = array->child; item != nullptr; item = item->next) {
        if (cJSON_IsString(item) && seen.insert(item->valuestring).second) {
            out.emplace_back(item->valuestring);
        }
    }
    return out;
}

// Normalised paths, duplicates (after normalisation) collapsed; false on a bad path.
bool normalise(const std::vector<std::string>& raw, std::vector<CollectionPath>& out) {
    for (const auto& text : raw) {
        auto path = parse_collection_path(text);
        if (!path) {
            return false;
        }
        if (std::find(out.begin(), out.end(), *path) == out.end()) {
            out.push_back(std::move(*path));
        }
    }
    return true;
}

}  // namespace

ClientMessage parse_client_message(std::string_view text) {
    auto doc = json::Json::parse(text);
    if (!doc) {
        return InvalidMessage{};
    }
    const cJSON* root = doc->get();
    if (!cJSON_IsObject(root)) {
        return OtherMessage{};
    }
    if (const cJSON* display =
            cJSON_GetObjectItemCaseSensitive(root, "enableDisplayNotification")) {
        if (!cJSON_IsBool(display)) {
            return InvalidMessage{};
        }
        return DisplayNotificationRequest{cJSON_IsTrue(display) != 0};
    }
    const cJSON* add = cJSON_GetObjectItemCaseSensitive(root, "register");
    const cJSON* remove = cJSON_GetObjectItemCaseSensitive(root, "unregister");
    if (add == nullptr && remove == nullptr) {
        return OtherMessage{};
    }
    return RegisterRequest{string_entries(add), string_entries(remove)};
}

std::variant<CheckedRegister, std::string_view> check_register(const RegisterRequest& request) {
    CheckedRegister checked;
    if (!normalise(request.add, checked.add) || !normalise(request.remove, checked.remove)) {
        return kInvalidRequest;
    }
    for (const auto& path : checked.add) {
        if (std::find(checked.remove.begin(), checked.remove.end(), path) != checked.remove.end()) {
            return kDuplicatedEntries;
        }
    }
    return checked;
}

}  // namespace twake::realtime
