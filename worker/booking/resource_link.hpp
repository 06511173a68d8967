#pragma once

// The accept and decline links a resource's administrators receive
// (docs/reference/auth.md §6.3): an RS256 JWT naming the resource and its copy of the event,
// carried by the participation URL, and the check of a token's claims against that URL.

#include <cjson/cJSON.h>

#include <chrono>
#include <string>
#include <string_view>

#include "shared/json/json.hpp"

namespace twake::booking {

// `{"resourceId":…,"eventId":…,"iat":…,"exp":…}`, in epoch seconds; `validity` is
// jwt.key.validity.
json::Json resource_link_claims(std::string_view resource_id, std::string_view event_id,
                                std::chrono::system_clock::time_point now,
                                std::chrono::milliseconds validity);

// `{self_url}/calendar/api/resources/{resource}/{event}/participation?status={partstat}
// &referrer=email&jwt={token}`, the ids percent-encoded as path segments.
std::string resource_participation_url(std::string_view self_url, std::string_view resource_id,
                                       std::string_view event_id, std::string_view partstat,
                                       std::string_view token);

// Whether verified claims carry `resourceId` and `eventId` strings equal to these.
bool claims_name(const cJSON* claims, std::string_view resource_id, std::string_view event_id);

}  // namespace twake::booking
