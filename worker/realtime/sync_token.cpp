#include "worker/realtime/sync_token.hpp"

#include <cmath>

#include "shared/json/json.hpp"

namespace twake::realtime {

std::optional<std::string> token_from_json(std::string_view body, CollectionKind kind) {
    auto doc = json::Json::parse(body);
    if (!doc) {
        return std::nullopt;
    }
    const char* member = kind == CollectionKind::Calendar ? "calendarserver:ctag" : "dav:syncToken";
    const cJSON* item = cJSON_GetObjectItemCaseSensitive(doc->get(), member);
    if (cJSON_IsString(item) && item->valuestring != nullptr && item->valuestring[0] != '\0') {
        return std::string(item->valuestring);
    }
    if (auto number = json::integer_value(item)) {
        return std::to_string(*number);
    }
    return std::nullopt;
}

TokenAnswer token_answer(int status, std::string_view body, CollectionKind kind) {
    if (status == 403) {
        return {TokenAnswer::Outcome::Forbidden, {}};
    }
    if (status == 404) {
        return {TokenAnswer::Outcome::NotFound, {}};
    }
    if (status == 200) {
        if (auto token = token_from_json(body, kind)) {
            return {TokenAnswer::Outcome::Token, std::move(*token)};
        }
    }
    return {TokenAnswer::Outcome::Error, {}};
}

}  // namespace twake::realtime
