#include <gtest/gtest.h>

#include <string>

#include "shared/text/base64url.hpp"

using twake::text::decode_base64url;
using twake::text::encode_base64url;

TEST(Base64url, EncodesRfc4648VectorsWithoutPadding) {
    EXPECT_EQ(encode_base64url(""), "");
    EXPECT_EQ(encode_base64url("f"), "Zg");
    EXPECT_EQ(encode_base64url("fo"), "Zm8");
    EXPECT_EQ(encode_base64url("foo"), "Zm9v");
    EXPECT_EQ(encode_base64url("foob"), "Zm9vYg");
    EXPECT_EQ(encode_base64url("fooba"), "Zm9vYmE");
    EXPECT_EQ(encode_base64url("foobar"), "Zm9vYmFy");
}

TEST(Base64url, UsesTheUrlSafeAlphabet) {
    EXPECT_EQ(encode_base64url("\xfb\xff\xbf"), "-_-_");
    EXPECT_EQ(decode_base64url("-_-_"), "\xfb\xff\xbf");
}

TEST(Base64url, RoundTripsEveryByteValue) {
    std::string bytes;
    for (int i = 0; i < 256; ++i) {
        bytes.push_back(static_cast<char>(i));
    }
    for (size_t size = 0; size <= bytes.size(); size += 37) {
        std::string part = bytes.substr(0, size);
        EXPECT_EQ(decode_base64url(encode_base64url(part)), part) << size;
    }
}

TEST(Base64url, DecodesWithOrWithoutPadding) {
    EXPECT_EQ(decode_base64url(""), "");
    EXPECT_EQ(decode_base64url("Zg"), "f");
    EXPECT_EQ(decode_base64url("Zg=="), "f");
    EXPECT_EQ(decode_base64url("Zm8"), "fo");
    EXPECT_EQ(decode_base64url("Zm8="), "fo");
    EXPECT_EQ(decode_base64url("Zm9v"), "foo");
}

TEST(Base64url, RejectsCharactersOutsideTheAlphabet) {
    EXPECT_FALSE(decode_base64url("Zm9v+"));
    EXPECT_FALSE(decode_base64url("Zm9/"));
    EXPECT_FALSE(decode_base64url("Zm 9v"));
    EXPECT_FALSE(decode_base64url("Zm9v\n"));
    EXPECT_FALSE(decode_base64url("Zm.9v"));
    EXPECT_FALSE(decode_base64url(std::string("Zm\0v", 4)));
    EXPECT_FALSE(decode_base64url("Zm9\xc3\xa9"));
}

TEST(Base64url, RejectsMisplacedOrExcessPadding) {
    EXPECT_FALSE(decode_base64url("Zg="));    // incomplete quantum
    EXPECT_FALSE(decode_base64url("Zg==="));  // too much
    EXPECT_FALSE(decode_base64url("Z==="));
    EXPECT_FALSE(decode_base64url("===="));
    EXPECT_FALSE(decode_base64url("Zg==Zg=="));  // padding inside
    EXPECT_FALSE(decode_base64url("Z=g="));
    EXPECT_FALSE(decode_base64url("Zm9v===="));
}

TEST(Base64url, RejectsImpossibleLengths) {
    EXPECT_FALSE(decode_base64url("Z"));
    EXPECT_FALSE(decode_base64url("Zm9vY"));
}

TEST(Base64url, RejectsNonZeroUnusedBits) {
    // "Zg" is the only spelling of "f": "Zh" differs in bits that carry no data.
    EXPECT_FALSE(decode_base64url("Zh"));
    EXPECT_FALSE(decode_base64url("Zm9"));
    EXPECT_EQ(decode_base64url("Zm8"), "fo");
}

TEST(Base64, StandardEncodingWithPadding) {
    EXPECT_EQ(twake::text::encode_base64(""), "");
    EXPECT_EQ(twake::text::encode_base64("f"), "Zg==");
    EXPECT_EQ(twake::text::encode_base64("fo"), "Zm8=");
    EXPECT_EQ(twake::text::encode_base64("foo"), "Zm9v");
    EXPECT_EQ(twake::text::encode_base64("admin&alice@example.com:s3cr3t"),
              "YWRtaW4mYWxpY2VAZXhhbXBsZS5jb206czNjcjN0");
    EXPECT_EQ(twake::text::encode_base64("\xfb\xff"), "+/8=");
}
