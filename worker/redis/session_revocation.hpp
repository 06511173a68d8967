#pragma once

// Invalidation of one OIDC session in the token cache the edge shares with upstream
// (docs/reference/edge-worker.md §4.2, §4.3): the sid list names the cached token keys; they and
// the list are deleted key by key (no multi-key DEL: cluster slots), then the sid and the keys are
// published on `tcal_oidc_revoked` so that every edge evicts them from its first level.

#include <string>
#include <string_view>
#include <vector>

#include "worker/redis/redis_connection.hpp"

namespace twake::redis {

inline constexpr std::string_view kTokenKeyPrefix = "tcal_oidc_hash_";
inline constexpr std::string_view kSessionKeyPrefix = "tcal_oidc_sid_";
inline constexpr std::string_view kRevocationChannel = "tcal_oidc_revoked";

struct SessionRevocation {
    std::vector<std::string> keys;     // the token keys the list held (and that were deleted)
    std::vector<std::string> ignored;  // list items that are not token keys (left alone)
    long long receivers = 0;           // subscribers the message reached
};

// {"sid":"<sid>","keys":["tcal_oidc_hash_…",…]}
std::string revocation_message(const std::string& sid, const std::vector<std::string>& keys);

// LRANGE, DEL of each token key, DEL of the list, PUBLISH (also when the list was empty: an
// edge may still hold the session in its first level). Throws RedisError.
SessionRevocation revoke_session(RedisConnection& redis, const std::string& sid);

}  // namespace twake::redis
