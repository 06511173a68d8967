#pragma once

// The JWS compact serialisation (RFC 7515 §7.1): `header.payload.signature`, each part
// base64url without padding. Decoding here is strict on purpose: libjwt 1.10 skips characters
// outside the alphabet and takes the last of duplicate JSON members, so every token is
// checked here first and only a token both parsers read the same way reaches libjwt.

#include <cjson/cJSON.h>

#include <optional>
#include <string>
#include <string_view>

#include "shared/json/json.hpp"

namespace twake::jwt {

struct CompactJws {
    json::Json header;          // a JSON object
    json::Json payload;         // a JSON object
    std::string signature;      // raw bytes
    std::string signing_input;  // `header.payload` as received: the bytes the signature covers
};

// Throws JwtError("malformed token") unless the token is three non-padded base64url parts
// whose first two are JSON objects without duplicate member names.
CompactJws decode_compact_jws(std::string_view token);

// A whole JSON object text (nothing after it) without duplicate top-level member names;
// nullopt otherwise.
std::optional<json::Json> parse_json_object(std::string_view text);

// `base64url(header).base64url(payload)`: what gets signed.
std::string encode_signing_input(std::string_view header_json, std::string_view payload_json);

// `signing_input.base64url(signature)`.
std::string append_signature(std::string signing_input, std::string_view signature);

}  // namespace twake::jwt
