#include <gtest/gtest.h>

#include "shared/identity/address.hpp"
#include "worker/credentials/credential_users.hpp"

using twake::credentials::CredentialUsers;
using twake::credentials::digest_password;
using twake::credentials::MemoryCredentialUsers;
using twake::credentials::password_matches;
using twake::identity::parse_credential_username;

TEST(CredentialUsername, LocalPartKeptDomainLowerCased) {
    auto a = parse_credential_username("Alice.Martin+x@Example.COM");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->local, "Alice.Martin+x");
    EXPECT_EQ(a->domain, "example.com");
    EXPECT_EQ(a->full(), "Alice.Martin+x@example.com");
}

TEST(CredentialUsername, RefusesForbiddenCharactersAndBadDomains) {
    for (const char* bad : {"",
                            "alice",
                            "@example.com",
                            "a b@example.com",
                            "a\"b@example.com",
                            "a(b@example.com",
                            "a)b@example.com",
                            "a,b@example.com",
                            "a:b@example.com",
                            "a;b@example.com",
                            "a<b@example.com",
                            "a>b@example.com",
                            "a[b@example.com",
                            "a]b@example.com",
                            "a\\b@example.com",
                            "a\tb@example.com",
                            "alice@",
                            "alice@exa mple.com",
                            "alice@-bad.com",
                            "alice@example.com@x.org",
                            "alice@example.123"}) {
        EXPECT_FALSE(parse_credential_username(bad)) << bad;
    }
    EXPECT_FALSE(parse_credential_username(std::string(250, 'a') + "@example.com"));
    EXPECT_TRUE(parse_credential_username("alice@[127.0.0.1]"));
}

TEST(PasswordDigest, SaltedAndChecked) {
    auto d1 = digest_password("secret");
    auto d2 = digest_password("secret");
    EXPECT_NE(d1.salt, d2.salt);
    EXPECT_NE(d1.derived, d2.derived);
    EXPECT_EQ(d1.derived.find("secret"), std::string::npos);
    EXPECT_TRUE(password_matches(d1, "secret"));
    EXPECT_FALSE(password_matches(d1, "Secret"));
    EXPECT_FALSE(password_matches(d1, ""));
    EXPECT_TRUE(password_matches(digest_password(""), ""));
}

TEST(MemoryCredentialUsers, JamesSemantics) {
    MemoryCredentialUsers users;
    EXPECT_TRUE(users.writable());
    EXPECT_EQ(users.put("b@example.com", "pb", false), CredentialUsers::PutOutcome::Created);
    EXPECT_EQ(users.put("a@example.com", "pa", false), CredentialUsers::PutOutcome::Created);
    EXPECT_EQ(users.put("a@example.com", "other", false),
              CredentialUsers::PutOutcome::AlreadyExists);
    EXPECT_TRUE(users.verify("a@example.com", "pa"));
    EXPECT_EQ(users.put("a@example.com", "new", true), CredentialUsers::PutOutcome::Updated);
    EXPECT_FALSE(users.verify("a@example.com", "pa"));
    EXPECT_TRUE(users.verify("a@example.com", "new"));
    EXPECT_FALSE(users.verify("nobody@example.com", "new"));
    EXPECT_EQ(users.list(), (std::vector<std::string>{"a@example.com", "b@example.com"}));
    EXPECT_TRUE(users.exists("b@example.com"));
    users.remove("b@example.com");
    users.remove("b@example.com");
    EXPECT_FALSE(users.exists("b@example.com"));
    EXPECT_EQ(users.put("b@example.com", "pb", true), CredentialUsers::PutOutcome::Created);
}
