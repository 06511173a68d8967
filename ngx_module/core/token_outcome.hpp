#pragma once

// How an OIDC token lookup ends, as the requests that share it see it (core/oidc_flow.hpp,
// token_flights.hpp).

#include <string>

#include "ngx_module/token_cache.hpp"

namespace twake::edge {

enum class CacheLevel { None, Shm, Redis, Idp };

struct TokenOutcome {
    enum class Kind {
        Valid,
        Refused,      // 401
        Forbidden,    // 403 (provisioning refused)
        Unavailable,  // 503
        Retry,        // the leader went away before knowing: look again
    };
    Kind kind = Kind::Retry;
    CachedToken token;
    CacheLevel level = CacheLevel::None;
    std::string details;  // for the error body
};

}  // namespace twake::edge
