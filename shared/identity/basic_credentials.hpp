#pragma once

// `Authorization: Basic …` per RFC 7617 (docs/reference/auth.md §3.1): standard base64 with
// optional padding, UTF-8, split at the first ':'.

#include <optional>
#include <string>
#include <string_view>

namespace twake::identity {

struct BasicCredentials {
    std::string login;
    std::string password;
};

// Nullopt unless the header is exactly "Basic <base64 of login:password>".
std::optional<BasicCredentials> parse_basic(std::string_view authorization);

}  // namespace twake::identity
