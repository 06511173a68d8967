#pragma once

// Error bodies of the webadmin API, James's shape (docs/webadmin.md §1):
//   {"statusCode":404,"type":"notFound","message":"...","details":null}

#include <optional>
#include <string>
#include <string_view>

#include "worker/http/message.hpp"

namespace twake::webadmin {

namespace error_type {
inline constexpr std::string_view kInvalidArgument = "InvalidArgument";
inline constexpr std::string_view kNotFound = "notFound";
inline constexpr std::string_view kWrongState = "WrongState";
inline constexpr std::string_view kServerError = "ServerError";
}  // namespace error_type

http::Response error_response(unsigned status, std::string_view type, std::string_view message,
                              std::optional<std::string> details = std::nullopt);

}  // namespace twake::webadmin
