#include "worker/booking/resource_link.hpp"

#include "shared/text/percent.hpp"

namespace twake::booking {

namespace {

double epoch_seconds(std::chrono::system_clock::time_point time) {
    return static_cast<double>(
        std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count());
}

}  // namespace

json::Json resource_link_claims(std::string_view resource_id, std::string_view event_id,
                                std::chrono::system_clock::time_point now,
                                std::chrono::milliseconds validity) {
    json::Json claims = json::Json::object();
    claims.set("resourceId", resource_id);
    claims.set("eventId", event_id);
    claims.set("iat", epoch_seconds(now));
    claims.set("exp", epoch_seconds(now + validity));
    return claims;
}

std::string resource_participation_url(std::string_view self_url, std::string_view resource_id,
                                       std::string_view event_id, std::string_view partstat,
                                       std::string_view token) {
    while (!self_url.empty() && self_url.back() == '/') {
        self_url.remove_suffix(1);
    }
    std::string url(self_url);
    url += "/calendar/api/resources/" + text::percent_encode(resource_id) + "/" +
           text::percent_encode(event_id) + "/participation?status=";
    url += partstat;
    url += "&referrer=email&jwt=";
    url += token;
    return url;
}

bool claims_name(const cJSON* claims, std::string_view resource_id, std::string_view event_id) {
    auto resource = json::string_member(claims, "resourceId");
    auto event = json::string_member(claims, "eventId");
    return resource && event && *resource == resource_id && *event == event_id;
}

}  // namespace twake::booking
