#include <gtest/gtest.h>

#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ngx_module/core/redis_token_record.hpp"
#include "ngx_module/token_cache.hpp"
#include "shared/crypto/digest.hpp"

using twake::edge::CachedToken;
using twake::edge::digest_of_redis_key;
using twake::edge::kRedisSessionPrefix;
using twake::edge::kRedisTokenPrefix;
using twake::edge::kRevocationChannel;
using twake::edge::parse_redis_token;
using twake::edge::parse_revocation;
using twake::edge::redis_token_key;
using twake::edge::redis_token_writes;
using twake::edge::Revocation;
using twake::edge::split_audiences;
using twake::crypto::sha512;

namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;
using Commands = std::vector<std::vector<std::string>>;

// SHA-512("abc"), FIPS 180-2 appendix C.1.
const std::string kAbcHex =
    "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
    "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";
const std::string kAbcKey = "tcal_oidc_hash_" + kAbcHex;

// Every byte value, so that the hex round trip covers 00 and ff.
std::string all_bytes_digest() {
    std::string d;
    for (int i = 0; i < 64; ++i) {
        d.push_back(static_cast<char>(i * 4 + 3));
    }
    d[0] = '\0';
    d[1] = static_cast<char>(0xff);
    return d;
}

CachedToken token(std::string sid) {
    CachedToken t;
    t.email = "alice@example.com";
    t.sid = std::move(sid);
    t.exp = 1767225600;
    t.audiences = "tcalendar;account";
    return t;
}

std::vector<std::string> strings(std::initializer_list<const char*> list) {
    return {list.begin(), list.end()};
}

}  // namespace

// ---- Key names (docs/reference/edge-worker.md §4.2, docs/reference/edge-worker.md §4)
// -------------------------------------------

TEST(RedisTokenRecordKey, NamesAreUpstreams) {
    EXPECT_EQ(kRedisTokenPrefix, "tcal_oidc_hash_");
    EXPECT_EQ(kRedisSessionPrefix, "tcal_oidc_sid_");
    EXPECT_EQ(kRevocationChannel, "tcal_oidc_revoked");
}

TEST(RedisTokenRecordKey, KeyIsLowerCaseHexOfTheSha512) {
    std::string digest = sha512("abc");
    ASSERT_EQ(digest.size(), 64u);
    std::string key = redis_token_key(digest);
    EXPECT_EQ(key, kAbcKey);
    EXPECT_EQ(key.size(), 15u + 128u);
    EXPECT_EQ(key.find_first_not_of("0123456789abcdef", 15), std::string::npos);
}

TEST(RedisTokenRecordKey, KeyOfTheEmptyToken) {
    EXPECT_EQ(redis_token_key(sha512("")),
              "tcal_oidc_hash_"
              "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
              "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
}

TEST(RedisTokenRecordKey, DigestRoundTrip) {
    for (const std::string& digest :
         {sha512("abc"), sha512("2YotnFZFEjr1zCsicMWpAA"), all_bytes_digest(),
          std::string(64, '\0'), std::string(64, static_cast<char>(0xff))}) {
        std::string key = redis_token_key(digest);
        std::optional<std::string> back = digest_of_redis_key(key);
        ASSERT_TRUE(back) << key;
        EXPECT_EQ(*back, digest) << key;
    }
    EXPECT_EQ(digest_of_redis_key(kAbcKey), sha512("abc"));
}

TEST(RedisTokenRecordKey, OtherKeysHaveNoDigest) {
    std::string upper = kAbcHex;
    for (char& c : upper) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    std::string one_upper = kAbcHex;
    one_upper[2] = 'A';  // "da" → "dA"
    std::string non_hex = kAbcHex;
    non_hex[127] = 'g';
    std::string with_space = kAbcHex;
    with_space[64] = ' ';
    for (const std::string& key : {
             std::string(""),
             std::string("tcal_oidc_hash_"),
             "tcal_oidc_sid_" + kAbcHex,                  // wrong prefix
             "TCAL_OIDC_HASH_" + kAbcHex,                 // prefix is case-sensitive
             "tcal_oidc_hash" + kAbcHex,                  // prefix cut short
             "xtcal_oidc_hash_" + kAbcHex,                // something before it
             kAbcHex,                                     // no prefix at all
             "tcal_oidc_hash_" + kAbcHex.substr(0, 127),  // odd length
             "tcal_oidc_hash_" + kAbcHex.substr(0, 126),  // 63 bytes
             "tcal_oidc_hash_" + kAbcHex + "00",          // 65 bytes
             kAbcKey + "\n",
             "tcal_oidc_hash_" + upper,  // upstream writes lower case only
             "tcal_oidc_hash_" + one_upper,
             "tcal_oidc_hash_" + non_hex,
             "tcal_oidc_hash_" + with_space,
             "tcal_oidc_hash_" + std::string(128, 'z'),
             "tcal_oidc_hash_" + std::string(128, '-'),
         }) {
        EXPECT_FALSE(digest_of_redis_key(key)) << key;
    }
}

// ---- Reading the hash (docs/reference/edge-worker.md §4.2 "Read")
// ----------------------------------------------

TEST(RedisTokenRecordParse, FullHash) {
    auto t = parse_redis_token({{"email", "alice@example.com"},
                                {"exp", "1767225600"},
                                {"aud", "tcalendar;account"},
                                {"sid", "dT/8+UDx1lWp1bRZkdhbS1i6ZfYhf8+bWAZQs8p0T/c"}});
    ASSERT_TRUE(t);
    EXPECT_EQ(t->email, "alice@example.com");
    EXPECT_EQ(t->exp, 1767225600);
    EXPECT_EQ(split_audiences(t->audiences), strings({"tcalendar", "account"}));
    EXPECT_EQ(t->sid, "dT/8+UDx1lWp1bRZkdhbS1i6ZfYhf8+bWAZQs8p0T/c");
}

TEST(RedisTokenRecordParse, FieldOrderDoesNotMatter) {
    auto t = parse_redis_token(
        {{"sid", "s1"}, {"aud", "tcalendar"}, {"exp", "42"}, {"email", "bob@example.org"}});
    ASSERT_TRUE(t);
    EXPECT_EQ(t->email, "bob@example.org");
    EXPECT_EQ(t->exp, 42);
    EXPECT_EQ(split_audiences(t->audiences), strings({"tcalendar"}));
    EXPECT_EQ(t->sid, "s1");
}

TEST(RedisTokenRecordParse, BlankOrMissingSidIsNone) {
    for (const char* sid : {"", " ", "\t", " \r\n "}) {
        auto t = parse_redis_token({{"email", "alice@example.com"},
                                    {"exp", "1767225600"},
                                    {"aud", "tcalendar"},
                                    {"sid", sid}});
        ASSERT_TRUE(t) << "[" << sid << "]";
        EXPECT_EQ(t->sid, "") << "[" << sid << "]";
    }
    auto t = parse_redis_token(
        {{"email", "alice@example.com"}, {"exp", "1767225600"}, {"aud", "tcalendar"}});
    ASSERT_TRUE(t);
    EXPECT_EQ(t->sid, "");
}

TEST(RedisTokenRecordParse, EmptyHashIsAMiss) {
    EXPECT_FALSE(parse_redis_token({}));
}

TEST(RedisTokenRecordParse, MissingOrBlankRequiredFieldIsAMiss) {
    const Fields full = {
        {"email", "alice@example.com"}, {"exp", "1767225600"}, {"aud", "tcalendar"}, {"sid", "s"}};
    ASSERT_TRUE(parse_redis_token(full));
    for (const std::string field : {"email", "exp", "aud"}) {
        Fields without;
        for (const auto& f : full) {
            if (f.first != field) {
                without.push_back(f);
            }
        }
        EXPECT_FALSE(parse_redis_token(without)) << "without " << field;
        for (const char* blank : {"", " ", "\t", "  \r\n"}) {
            Fields blanked = full;
            for (auto& f : blanked) {
                if (f.first == field) {
                    f.second = blank;
                }
            }
            EXPECT_FALSE(parse_redis_token(blanked)) << field << " = [" << blank << "]";
        }
    }
}

TEST(RedisTokenRecordParse, ExpMustBeAnInteger) {
    for (const char* exp : {"12a", "1.5", "", "a12", "0x10", "1e9", " 12", "12 ", "1767225600.0",
                            "99999999999999999999", "--1"}) {
        auto t = parse_redis_token(
            {{"email", "alice@example.com"}, {"exp", exp}, {"aud", "tcalendar"}, {"sid", ""}});
        EXPECT_FALSE(t) << "[" << exp << "]";
    }
}

TEST(RedisTokenRecordParse, ExpIsSixtyFourBits) {
    auto t = parse_redis_token(
        {{"email", "alice@example.com"}, {"exp", "4102444800"}, {"aud", "tcalendar"}});
    ASSERT_TRUE(t);
    EXPECT_EQ(t->exp, int64_t{4102444800});
    t = parse_redis_token({{"email", "a@b.c"}, {"exp", "0"}, {"aud", "tcalendar"}});
    ASSERT_TRUE(t);
    EXPECT_EQ(t->exp, 0);
}

TEST(RedisTokenRecordParse, AudienceSplitIgnoresEmptyParts) {
    auto t = parse_redis_token(
        {{"email", "alice@example.com"}, {"exp", "1767225600"}, {"aud", ";tcalendar;;account;"}});
    ASSERT_TRUE(t);
    EXPECT_EQ(split_audiences(t->audiences), strings({"tcalendar", "account"}));
}

TEST(RedisTokenRecordParse, AudienceOfSemicolonsOnlyIsAMiss) {
    for (const char* aud : {";", ";;", ";;;"}) {
        EXPECT_FALSE(parse_redis_token(
            {{"email", "alice@example.com"}, {"exp", "1767225600"}, {"aud", aud}}))
            << aud;
    }
}

TEST(RedisTokenRecordParse, UnknownFieldsAreIgnored) {
    auto t = parse_redis_token({{"email", "alice@example.com"},
                                {"given_name", "Alice"},
                                {"exp", "1767225600"},
                                {"scope", "openid email"},
                                {"aud", "tcalendar"},
                                {"sid", "s1"},
                                {"Email", "mallory@example.com"},
                                {"", ""}});
    ASSERT_TRUE(t);
    EXPECT_EQ(t->email, "alice@example.com");
    EXPECT_EQ(t->exp, 1767225600);
    EXPECT_EQ(split_audiences(t->audiences), strings({"tcalendar"}));
    EXPECT_EQ(t->sid, "s1");
}

TEST(RedisTokenRecordParse, NothingButUnknownFieldsIsAMiss) {
    EXPECT_FALSE(parse_redis_token({{"foo", "bar"}, {"EMAIL", "alice@example.com"}}));
}

// ---- Writing (docs/reference/edge-worker.md §4.2 "Write") ---------------------------------------

TEST(RedisTokenRecordWrites, WithASid) {
    Commands writes = redis_token_writes(sha512("abc"), token("sid-1"), 300);
    Commands expected = {
        {"HSET", kAbcKey, "email", "alice@example.com", "exp", "1767225600", "aud",
         "tcalendar;account", "sid", "sid-1"},
        {"EXPIRE", kAbcKey, "300"},
        {"RPUSH", "tcal_oidc_sid_sid-1", kAbcKey},
        {"EXPIRE", "tcal_oidc_sid_sid-1", "300"},
    };
    EXPECT_EQ(writes, expected);
}

TEST(RedisTokenRecordWrites, WithoutASid) {
    Commands writes = redis_token_writes(sha512("abc"), token(""), 42);
    Commands expected = {
        {"HSET", kAbcKey, "email", "alice@example.com", "exp", "1767225600", "aud",
         "tcalendar;account", "sid", ""},
        {"EXPIRE", kAbcKey, "42"},
    };
    EXPECT_EQ(writes, expected);
}

TEST(RedisTokenRecordWrites, SidIsUsedRawInTheSessionKey) {
    const std::string sid = "dT/8+UDx1lWp1bRZkdhbS1i6ZfYhf8+bWAZQs8p0T/c";
    CachedToken t = token(sid);
    t.audiences = "tcalendar";
    t.exp = 4102444800;
    Commands writes = redis_token_writes(sha512("abc"), t, 3600);
    ASSERT_EQ(writes.size(), 4u);
    EXPECT_EQ(writes[0],
              (std::vector<std::string>{"HSET", kAbcKey, "email", "alice@example.com", "exp",
                                        "4102444800", "aud", "tcalendar", "sid", sid}));
    EXPECT_EQ(writes[2], (std::vector<std::string>{"RPUSH", "tcal_oidc_sid_" + sid, kAbcKey}));
    EXPECT_EQ(writes[3], (std::vector<std::string>{"EXPIRE", "tcal_oidc_sid_" + sid, "3600"}));
}

TEST(RedisTokenRecordWrites, WhatIsWrittenReadsBack) {
    CachedToken t = token("sid-1");
    Commands writes = redis_token_writes(sha512("abc"), t, 300);
    ASSERT_FALSE(writes.empty());
    const auto& hset = writes[0];
    ASSERT_EQ(hset.size(), 10u);
    Fields fields;
    for (size_t i = 2; i + 1 < hset.size(); i += 2) {
        fields.emplace_back(hset[i], hset[i + 1]);
    }
    auto back = parse_redis_token(fields);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->email, t.email);
    EXPECT_EQ(back->sid, t.sid);
    EXPECT_EQ(back->exp, t.exp);
    EXPECT_EQ(back->audiences, t.audiences);
    EXPECT_EQ(digest_of_redis_key(hset[1]), sha512("abc"));
}

// ---- Revocation message (docs/reference/edge-worker.md §4) --------------------------------------

TEST(RedisTokenRecordRevocation, SidAndKeys) {
    std::string other = redis_token_key(sha512("other"));
    auto r =
        parse_revocation(R"({"sid":"sid-1","keys":[")" + kAbcKey + R"(",")" + other + R"("]})");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->sid, "sid-1");
    EXPECT_EQ(r->digests, (std::vector<std::string>{sha512("abc"), sha512("other")}));
}

TEST(RedisTokenRecordRevocation, KeysThatDoNotParseAreSkipped) {
    auto r = parse_revocation(R"({"sid":"sid-1","keys":["tcal_oidc_sid_sid-1",")" + kAbcKey +
                              R"(",42,null,"",")" + "tcal_oidc_hash_" + kAbcHex.substr(0, 126) +
                              R"(",["nested"],")" + "TCAL_OIDC_HASH_" + kAbcHex + R"("]})");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->sid, "sid-1");
    EXPECT_EQ(r->digests, (std::vector<std::string>{sha512("abc")}));
}

TEST(RedisTokenRecordRevocation, SidOnly) {
    for (const char* message :
         {R"({"sid":"sid-1"})", R"({"sid":"sid-1","keys":[]})", R"({"sid":"sid-1","keys":null})"}) {
        auto r = parse_revocation(message);
        ASSERT_TRUE(r) << message;
        EXPECT_EQ(r->sid, "sid-1") << message;
        EXPECT_TRUE(r->digests.empty()) << message;
    }
}

TEST(RedisTokenRecordRevocation, KeysOnly) {
    for (const std::string& message :
         {R"({"keys":[")" + kAbcKey + R"("]})", R"({"sid":"","keys":[")" + kAbcKey + R"("]})",
          R"({"sid":null,"keys":[")" + kAbcKey + R"("]})"}) {
        auto r = parse_revocation(message);
        ASSERT_TRUE(r) << message;
        EXPECT_EQ(r->sid, "") << message;
        EXPECT_EQ(r->digests, (std::vector<std::string>{sha512("abc")})) << message;
    }
}

TEST(RedisTokenRecordRevocation, NeitherPartIsAnEmptyRevocation) {
    for (const char* message : {"{}", R"({"sid":"","keys":[]})", R"({"other":1})"}) {
        auto r = parse_revocation(message);
        ASSERT_TRUE(r) << message;
        EXPECT_EQ(r->sid, "") << message;
        EXPECT_TRUE(r->digests.empty()) << message;
    }
}

TEST(RedisTokenRecordRevocation, SidMustBeText) {
    auto r = parse_revocation(R"({"sid":42,"keys":[")" + kAbcKey + R"("]})");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->sid, "");
    EXPECT_EQ(r->digests.size(), 1u);
}

TEST(RedisTokenRecordRevocation, NotAJsonObjectIsRefused) {
    for (const std::string& message :
         {std::string(""), std::string("sid-1"), std::string("{"), std::string(R"({"sid":"s")"),
          std::string(R"(["sid-1"])"), "[\"" + kAbcKey + "\"]", std::string("[]"),
          std::string(R"("sid-1")"), std::string("null"), std::string("42"), std::string("true")}) {
        EXPECT_FALSE(parse_revocation(message)) << message;
    }
}
