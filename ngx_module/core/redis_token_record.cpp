#include "ngx_module/core/redis_token_record.hpp"

#include <charconv>

#include "shared/json/json.hpp"
#include "shared/crypto/digest.hpp"

namespace twake::edge {

namespace {

bool blank(std::string_view s) {
    return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;  // upstream writes lower case only
}

}  // namespace

std::string redis_token_key(std::string_view digest) {
    return std::string(kRedisTokenPrefix) + crypto::hex(digest);
}

std::optional<std::string> digest_of_redis_key(std::string_view key) {
    if (key.substr(0, kRedisTokenPrefix.size()) != kRedisTokenPrefix) {
        return std::nullopt;
    }
    std::string_view hex = key.substr(kRedisTokenPrefix.size());
    if (hex.size() != 128) {
        return std::nullopt;
    }
    std::string raw;
    raw.reserve(64);
    for (size_t i = 0; i < hex.size(); i += 2) {
        int hi = hex_digit(hex[i]);
        int lo = hex_digit(hex[i + 1]);
        if (hi < 0 || lo < 0) {
            return std::nullopt;
        }
        raw.push_back(static_cast<char>(hi * 16 + lo));
    }
    return raw;
}

std::optional<CachedToken> parse_redis_token(
    const std::vector<std::pair<std::string, std::string>>& fields) {
    CachedToken token;
    std::optional<std::string> exp;
    std::optional<std::string> aud;
    for (const auto& [name, value] : fields) {
        if (name == "email") {
            token.email = value;
        } else if (name == "exp") {
            exp = value;
        } else if (name == "aud") {
            aud = value;
        } else if (name == "sid") {
            token.sid = blank(value) ? "" : value;
        }
    }
    if (blank(token.email) || !exp || blank(*exp) || !aud || blank(*aud)) {
        return std::nullopt;
    }
    const char* end = exp->data() + exp->size();
    auto [ptr, ec] = std::from_chars(exp->data(), end, token.exp);
    if (ec != std::errc() || ptr != end) {
        return std::nullopt;
    }
    auto audiences = split_audiences(*aud);
    if (audiences.empty()) {
        return std::nullopt;
    }
    token.audiences = join_audiences(audiences);  // without empty parts
    return token;
}

std::vector<std::vector<std::string>> redis_token_writes(std::string_view digest,
                                                         const CachedToken& token,
                                                         int64_t ttl_seconds) {
    std::string key = redis_token_key(digest);
    std::string ttl = std::to_string(ttl_seconds);
    std::vector<std::vector<std::string>> writes = {
        {"HSET", key, "email", token.email, "exp", std::to_string(token.exp), "aud",
         token.audiences, "sid", token.sid},
        {"EXPIRE", key, ttl},
    };
    if (!token.sid.empty()) {
        std::string session = std::string(kRedisSessionPrefix) + token.sid;
        writes.push_back({"RPUSH", session, key});
        writes.push_back({"EXPIRE", session, ttl});
    }
    return writes;
}

std::optional<Revocation> parse_revocation(std::string_view message) {
    auto doc = json::Json::parse(message);
    if (!doc || !cJSON_IsObject(doc->get())) {
        return std::nullopt;
    }
    Revocation r;
    r.sid = json::string_member(doc->get(), "sid").value_or("");
    const cJSON* keys = cJSON_GetObjectItemCaseSensitive(doc->get(), "keys");
    const cJSON* key = nullptr;
    cJSON_ArrayForEach(key, keys) {
        if (cJSON_IsString(key)) {
            if (auto digest = digest_of_redis_key(key->valuestring)) {
                r.digests.push_back(std::move(*digest));
            }
        }
    }
    return r;
}

}  // namespace twake::edge
