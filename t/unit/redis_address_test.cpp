#include <gtest/gtest.h>

#include "shared/config/config_error.hpp"
#include "worker/redis/redis_address.hpp"

using twake::config::ConfigError;
using twake::redis::parse_redis_url;

TEST(RedisAddress, HostPortAndDefaults) {
    auto a = parse_redis_url("redis://redis", "k");
    EXPECT_EQ(a.host, "redis");
    EXPECT_EQ(a.port, 6379);
    EXPECT_EQ(a.database, 0);
    EXPECT_FALSE(a.password);
    auto b = parse_redis_url("redis://127.0.0.1:6380/3", "k");
    EXPECT_EQ(b.host, "127.0.0.1");
    EXPECT_EQ(b.port, 6380);
    EXPECT_EQ(b.database, 3);
}

TEST(RedisAddress, CredentialsAreDecoded) {
    auto a = parse_redis_url("redis://:p%40ss@h:1", "k");
    EXPECT_FALSE(a.user);
    EXPECT_EQ(a.password, "p@ss");
    auto b = parse_redis_url("redis://user:secret@h", "k");
    EXPECT_EQ(b.user, "user");
    EXPECT_EQ(b.password, "secret");
}

TEST(RedisAddress, Ipv6) {
    auto a = parse_redis_url("redis://[::1]:7000", "k");
    EXPECT_EQ(a.host, "::1");
    EXPECT_EQ(a.port, 7000);
}

TEST(RedisAddress, RefusesWhatItCannotUse) {
    EXPECT_THROW(parse_redis_url("http://h", "k"), ConfigError);
    EXPECT_THROW(parse_redis_url("rediss://h", "k"), ConfigError);
    EXPECT_THROW(parse_redis_url("redis://", "k"), ConfigError);
    EXPECT_THROW(parse_redis_url("redis://h:port", "k"), ConfigError);
    EXPECT_THROW(parse_redis_url("redis://h:70000", "k"), ConfigError);
    EXPECT_THROW(parse_redis_url("redis://h/db", "k"), ConfigError);
}

TEST(RedisAddress, MessageNeverContainsThePassword) {
    try {
        parse_redis_url("redis://:hunter2@h:bad", "redis.properties: redisURL");
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos);
    }
}
