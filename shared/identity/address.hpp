#pragma once

// E-mail addresses and domain names as the project stores and compares them.

#include <optional>
#include <string>
#include <string_view>

namespace twake::identity {

struct Address {
    std::string local;
    std::string domain;
    std::string full() const { return local + "@" + domain; }
};

// ASCII lower-casing of a whole address: esn-sabre looks users up by the lower-cased address, so a
// mixed-case stored address would be invisible to it (docs/reference/edge-worker.md §1).
std::string lower(std::string_view text);
// ASCII only, whatever the process's locale.
constexpr char lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
// Whether lower(a) == lower(b), without building either.
bool equal_ignoring_case(std::string_view a, std::string_view b);

// Domain name rules of James (docs/webadmin.md §1.1): at most 253 characters of letters, digits,
// '-', '_' and '.'; non-empty labels of at most 63 characters not starting or ending with
// '-' or '_'; the last label must not start with a digit unless the whole name is an IPv4
// literal; surrounding brackets are stripped. Returns the lower-cased name, or nullopt.
std::optional<std::string> normalize_domain(std::string_view name);

// Splits at the first '@' into a non-empty local part (at most 255 characters in total) and a
// valid domain; the result is lower-cased. Nullopt when it is not an address.
std::optional<Address> parse_address(std::string_view text);

// The name of a credential user (webadmin `/users`, docs/webadmin.md §1.1): at most 255
// characters, split at the first '@'; a non-empty local part kept as given, without any of
// `"(),:; <>@[\]` nor control characters; a valid domain, lower-cased. Nullopt otherwise.
std::optional<Address> parse_credential_username(std::string_view text);

}  // namespace twake::identity
