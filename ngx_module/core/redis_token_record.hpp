#pragma once

// The Redis side of the token cache in upstream's layout (docs/reference/edge-worker.md §4.2), so
// that a Redis shared with a running upstream stays valid: the key names, the hash's fields, and
// the revocation message the worker publishes (docs/reference/edge-worker.md §4). Pure: no I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ngx_module/token_cache.hpp"

namespace twake::edge {

inline constexpr std::string_view kRedisTokenPrefix = "tcal_oidc_hash_";
inline constexpr std::string_view kRedisSessionPrefix = "tcal_oidc_sid_";
inline constexpr std::string_view kRevocationChannel = "tcal_oidc_revoked";

// `tcal_oidc_hash_<lower-case hex of the SHA-512>`, from the raw 64-byte digest.
std::string redis_token_key(std::string_view digest);
// The raw digest back from a token key; nullopt for anything else.
std::optional<std::string> digest_of_redis_key(std::string_view key);

// HGETALL's field/value pairs → a token. nullopt when the hash is empty or does not parse
// (blank email, exp or aud; exp not an integer): a miss, the entry gets overwritten.
std::optional<CachedToken> parse_redis_token(
    const std::vector<std::pair<std::string, std::string>>& fields);

// The commands that write a token, in order, to be sent inside MULTI/EXEC so that a key never
// lives without its TTL: HSET + EXPIRE, and RPUSH + EXPIRE of the session list when there is
// a sid.
std::vector<std::vector<std::string>> redis_token_writes(std::string_view digest,
                                                         const CachedToken& token,
                                                         int64_t ttl_seconds);

// {"sid":"<sid>","keys":["tcal_oidc_hash_…",…]}; either part may be absent or empty.
struct Revocation {
    std::string sid;
    std::vector<std::string> digests;  // raw, from the keys that parse
};
std::optional<Revocation> parse_revocation(std::string_view message);

}  // namespace twake::edge
