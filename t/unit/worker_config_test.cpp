#include <gtest/gtest.h>

#include "shared/config/config_error.hpp"
#include "worker/config/known_keys.hpp"
#include "worker/config/worker_config.hpp"

using twake::config::ConfigError;
using twake::config::known_key;
using twake::config::parse_size;

TEST(Size, UnitsAreCaseInsensitive) {
    EXPECT_EQ(parse_size("50MiB", "k"), 50LL << 20);
    EXPECT_EQ(parse_size("50 Mib", "k"), 50LL << 20);  // upstream's commented sample
    EXPECT_EQ(parse_size("512", "k"), 512);
    EXPECT_EQ(parse_size("1GiB", "k"), 1LL << 30);
    EXPECT_THROW(parse_size("lots", "k"), ConfigError);
    EXPECT_THROW(parse_size("5 parsecs", "k"), ConfigError);
    EXPECT_THROW(parse_size("-1", "k"), ConfigError);
}

TEST(KnownKeys, UpstreamKeysAreKnownTyposAreNot) {
    EXPECT_TRUE(known_key("configuration.properties", "smtp.host"));
    EXPECT_TRUE(known_key("configuration.properties", "oidc.introspection.claim"));
    EXPECT_TRUE(known_key("configuration.properties", "edge.listen"));
    EXPECT_FALSE(known_key("configuration.properties", "mongo.uri"));
    EXPECT_TRUE(known_key("webadmin.properties", "password.readonly"));
    EXPECT_FALSE(known_key("webadmin.properties", "pasword"));
    EXPECT_TRUE(known_key("opensearch.properties", "opensearch.index.calendar.events.name"));
}
