#pragma once

// base64url (RFC 4648 §5) as JWTs and secret-link tokens use it: written without padding,
// because esn-sabre and the JWS compact form reject `=`; and standard base64 for decoding.

#include <optional>
#include <string>
#include <string_view>

namespace twake::text {

// Encodes bytes with the URL-safe alphabet and no `=` padding.
std::string encode_base64url(std::string_view bytes);

// Decodes base64url with or without `=` padding. nullopt for any character outside the
// alphabet, a misplaced or excess `=`, an impossible length, or non-zero unused bits (so
// that a given byte string has exactly one accepted encoding).
std::optional<std::string> decode_base64url(std::string_view text);

// Standard base64 with padding (RFC 4648 §4), as HTTP Basic credentials are written.
std::string encode_base64(std::string_view bytes);

// The same for standard base64 (RFC 4648 §4: `+` and `/`), as HTTP Basic credentials use it.
std::optional<std::string> decode_base64(std::string_view text);

}  // namespace twake::text
