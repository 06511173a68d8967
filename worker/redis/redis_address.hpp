#pragma once

// Redis addresses as upstream's `redisURL` writes them (Lettuce URIs):
// redis://[[user]:password@]host[:port][/database]

#include <optional>
#include <string>

namespace twake::redis {

struct RedisAddress {
    std::string host;
    int port = 6379;
    int database = 0;
    std::optional<std::string> user;
    std::optional<std::string> password;
};

// Throws config::ConfigError naming `key` and the expected form.
RedisAddress parse_redis_url(const std::string& url, const std::string& key);

}  // namespace twake::redis
