#pragma once

// What a socket's client sends (docs/reference/realtime.md §2.2), read from one text frame,
// and the register request checked against the path rules.

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "worker/realtime/collection_path.hpp"

namespace twake::realtime {

// `register` / `unregister` as sent: non-string entries skipped, duplicates collapsed (first
// occurrence kept), a member that is not an array read as empty.
struct RegisterRequest {
    std::vector<std::string> add;
    std::vector<std::string> remove;
};

struct DisplayNotificationRequest {
    bool enable = false;
};

// Any other JSON value (the web app's keepalive `{"type":"ping",…}`): answered `{}`.
struct OtherMessage {};

// Not JSON, or a non-boolean `enableDisplayNotification`: answered `Invalid Request`.
struct InvalidMessage {};

using ClientMessage =
    std::variant<RegisterRequest, DisplayNotificationRequest, OtherMessage, InvalidMessage>;

ClientMessage parse_client_message(std::string_view text);

// A register request whose paths all follow the rules, normalised.
struct CheckedRegister {
    std::vector<CollectionPath> add;
    std::vector<CollectionPath> remove;
};

inline constexpr std::string_view kInvalidRequest = "Invalid Request";
inline constexpr std::string_view kDuplicatedEntries =
    "register and unregister cannot contain duplicated entries";
inline constexpr std::string_view kInternalError = "Internal Error";

// The checked request, or the error to answer (nothing is done then): `Invalid Request` for a
// path that breaks the rules, the duplicated-entries error for a path in both lists.
std::variant<CheckedRegister, std::string_view> check_register(const RegisterRequest& request);

}  // namespace twake::realtime
