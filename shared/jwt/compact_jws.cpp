#include "shared/jwt/compact_jws.hpp"

#include <cstring>
#include <optional>
#include <utility>
#include <vector>

#include "shared/jwt/jwt_error.hpp"
#include "shared/text/base64url.hpp"

namespace twake::jwt {

namespace {

// Far above any token we issue or accept (about 1 KiB), low enough to bound the work an
// unauthenticated client can ask for.
constexpr size_t kMaxTokenSize = 16 * 1024;

// Splits on '.'; the caller checks the count.
std::vector<std::string_view> split_parts(std::string_view token) {
    std::vector<std::string_view> parts;
    size_t start = 0;
    for (size_t dot = token.find('.'); dot != std::string_view::npos;
         dot = token.find('.', start)) {
        parts.push_back(token.substr(start, dot - start));
        start = dot + 1;
    }
    parts.push_back(token.substr(start));
    return parts;
}

// The compact form has no padding, and accepting it would give one token several spellings.
std::string decode_part(std::string_view part) {
    if (part.find('=') != std::string_view::npos) {
        throw JwtError("malformed token");
    }
    std::optional<std::string> bytes = text::decode_base64url(part);
    if (!bytes) {
        throw JwtError("malformed token");
    }
    return std::move(*bytes);
}

json::Json decode_object_part(std::string_view part) {
    std::optional<json::Json> object = parse_json_object(decode_part(part));
    if (!object) {
        throw JwtError("malformed token");
    }
    return std::move(*object);
}

bool has_duplicate_members(const cJSON* object) {
    for (const cJSON* a = object->child; a != nullptr; a = a->next) {
        for (const cJSON* b = a->next; b != nullptr; b = b->next) {
            if (std::strcmp(a->string, b->string) == 0) {
                return true;
            }
        }
    }
    return false;
}

bool only_blanks(const char* begin, const char* end) {
    for (const char* p = begin; p != end; ++p) {
        if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') {
            return false;
        }
    }
    return true;
}

}  // namespace

std::optional<json::Json> parse_json_object(std::string_view text) {
    const char* end = nullptr;
    // cJSON stops at the end of the first value; what follows it must be checked here.
    json::Json value(cJSON_ParseWithLengthOpts(text.data(), text.size(), &end, false));
    if (!value || !cJSON_IsObject(value.get()) || end == nullptr ||
        !only_blanks(end, text.data() + text.size()) || has_duplicate_members(value.get())) {
        return std::nullopt;
    }
    return value;
}

CompactJws decode_compact_jws(std::string_view token) {
    if (token.size() > kMaxTokenSize) {
        throw JwtError("token too large");
    }
    std::vector<std::string_view> parts = split_parts(token);
    if (parts.size() != 3) {
        throw JwtError("malformed token");
    }
    CompactJws jws;
    jws.header = decode_object_part(parts[0]);
    jws.payload = decode_object_part(parts[1]);
    jws.signature = decode_part(parts[2]);
    jws.signing_input = std::string(token.substr(0, parts[0].size() + 1 + parts[1].size()));
    return jws;
}

std::string encode_signing_input(std::string_view header_json, std::string_view payload_json) {
    return text::encode_base64url(header_json) + "." + text::encode_base64url(payload_json);
}

std::string append_signature(std::string signing_input, std::string_view signature) {
    signing_input.push_back('.');
    signing_input += text::encode_base64url(signature);
    return signing_input;
}

}  // namespace twake::jwt
