#pragma once

// The OpenPaaS JSON shapes the legacy apps read (docs/reference/rest-api.md §4.1, §5.1): real data
// plus the constant fields they still expect.

#include <string>

#include "shared/json/json.hpp"
#include "worker/store/domain_store.hpp"
#include "worker/store/user_store.hpp"

namespace twake::api {

// OpenPaaS timestamps the service does not track.
inline constexpr const char* kFakedTimestamp = "1970-01-01T00:00:00.000Z";

// The user object of §4.1; `domain_id` is the id of the domain named by the address.
json::Json user_json(const store::User& user, const std::string& domain_id,
                     const std::string& timezone);

// The domain object of §5.1.
json::Json domain_json(const store::Domain& domain);

}  // namespace twake::api
