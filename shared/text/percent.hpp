#pragma once

// Percent-encoding (RFC 3986 §2.1), shared by the worker's request-target parsing and the
// module's form bodies and ASCII-only headers.

#include <optional>
#include <string>
#include <string_view>

namespace twake::text {

// Decodes %XX escapes (and '+' as a space when `plus_is_space`, for query strings and form
// bodies). Returns nullopt for a malformed escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space = false);

// Escapes every byte but RFC 3986 unreserved characters, so the result is safe as a path
// segment, a form value or a header value.
std::string percent_encode(std::string_view text);

}  // namespace twake::text
