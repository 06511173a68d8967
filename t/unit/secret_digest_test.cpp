#include <gtest/gtest.h>

#include <string>

#include "shared/crypto/digest.hpp"
#include "shared/text/base64url.hpp"

using twake::crypto::hmac_sha256;
using twake::crypto::secrets_equal;
using twake::crypto::sha256;

namespace {

std::string hex(const std::string& bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 15]);
    }
    return out;
}

}  // namespace

TEST(Digest, Sha256KnownAnswer) {
    EXPECT_EQ(hex(sha256("abc")),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Digest, Sha256DigestIsTheSameBytesWithoutAllocating) {
    for (const char* text : {"", "abc", "an opaque access token of some forty characters"}) {
        EXPECT_EQ(std::string(twake::crypto::view(twake::crypto::sha256_digest(text))), sha256(text))
            << text;
    }
}

TEST(Digest, HmacSha256Rfc4231Case2) {
    EXPECT_EQ(hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Digest, HmacSha256WithAnEmptyKey) {
    EXPECT_EQ(hex(hmac_sha256("", "")),
              "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(SecretsEqual, ComparesWholeValues) {
    EXPECT_TRUE(secrets_equal("s3cret-edge-value", "s3cret-edge-value"));
    EXPECT_FALSE(secrets_equal("s3cret-edge-value", "s3cret-edge-valuf"));
    EXPECT_FALSE(secrets_equal("s3cret", "s3cret-edge-value"));
    EXPECT_FALSE(secrets_equal("", "x"));
    EXPECT_TRUE(secrets_equal("", ""));
    EXPECT_FALSE(secrets_equal(std::string("a\0b", 3), "a"));
}
