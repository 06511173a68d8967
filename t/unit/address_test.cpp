#include <gtest/gtest.h>

#include "shared/identity/address.hpp"
#include "shared/identity/basic_credentials.hpp"
#include "shared/text/base64url.hpp"

using namespace twake::identity;

TEST(Address, LowerCasesTheWholeAddress) {
    auto a = parse_address("Alice.Martin@Example.COM");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->local, "alice.martin");
    EXPECT_EQ(a->domain, "example.com");
    EXPECT_EQ(a->full(), "alice.martin@example.com");
}

TEST(Address, EqualIgnoringCaseIsAsciiOnly) {
    EXPECT_TRUE(equal_ignoring_case("Admin@Example.COM", "admin@example.com"));
    EXPECT_TRUE(equal_ignoring_case("", ""));
    EXPECT_FALSE(equal_ignoring_case("admin@example.com", "admin@example.co"));
    EXPECT_FALSE(equal_ignoring_case("admin", "admim"));
    EXPECT_FALSE(equal_ignoring_case("\xc3\x89", "\xc3\xa9"));  // É and é: bytes compared
    EXPECT_EQ(lower("MiXeD@Example.ORG"), "mixed@example.org");
}

TEST(Address, RefusesWhatIsNotAnAddress) {
    for (const char* bad : {"", "plain", "@example.com", "a@", "a@-x.com", "a@x..com", "a b@x.com",
                            "a@x.1com", "a@x_.com"}) {
        EXPECT_FALSE(parse_address(bad)) << bad;
    }
    EXPECT_FALSE(parse_address(std::string(250, 'a') + "@x.com"));
}

TEST(Address, DomainRules) {
    EXPECT_EQ(normalize_domain("Example.COM"), "example.com");
    EXPECT_EQ(normalize_domain("[10.0.0.1]"), "10.0.0.1");
    EXPECT_EQ(normalize_domain("a_b.example"), "a_b.example");
    EXPECT_FALSE(normalize_domain("example.123"));
    EXPECT_FALSE(normalize_domain("-a.com"));
    EXPECT_FALSE(normalize_domain(std::string(64, 'a') + ".com"));
    EXPECT_FALSE(normalize_domain("a.com."));
}

TEST(BasicCredentials, Rfc7617) {
    auto c = parse_basic("Basic YWxpY2VAZXhhbXBsZS5jb206czNjcjp0");  // alice@example.com:s3cr:t
    ASSERT_TRUE(c);
    EXPECT_EQ(c->login, "alice@example.com");
    EXPECT_EQ(c->password, "s3cr:t");
    // '+' and '/' are ordinary base64 (upstream refused them); padding is optional.
    EXPECT_EQ(twake::text::decode_base64("+/8="), std::string("\xfb\xff"));
    EXPECT_EQ(twake::text::decode_base64("+/8"), std::string("\xfb\xff"));
}

TEST(BasicCredentials, RefusesMalformedHeaders) {
    EXPECT_FALSE(parse_basic("basic YTpi"));
    EXPECT_FALSE(parse_basic("Bearer YTpi"));
    EXPECT_FALSE(parse_basic("Basic !!!!"));
    EXPECT_FALSE(parse_basic("Basic YWJj"));  // "abc": no colon
    EXPECT_FALSE(twake::text::decode_base64("a"));
}
