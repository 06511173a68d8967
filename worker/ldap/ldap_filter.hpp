#pragma once

// The text of an LDAP search filter (RFC 4515), checked before it is sent: the domain-members sync
// takes one from the webadmin request (docs/webadmin.md §9).

#include <optional>
#include <string>
#include <string_view>

namespace twake::ldap {

// The filter with its outer parentheses (a bare item such as `uid=alice` gets them), or nullopt
// when `text` is not an RFC 4515 filter: unbalanced parentheses, an empty attribute, an
// unescaped `(`, `)` or `\` in a value, a `\` not followed by two hexadecimal digits...
std::optional<std::string> parse_filter(std::string_view text);

}  // namespace twake::ldap
