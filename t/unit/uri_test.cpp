#include <gtest/gtest.h>

#include "worker/http/uri.hpp"
#include "shared/text/percent.hpp"

using twake::http::Target;
using twake::text::percent_decode;
using twake::text::percent_encode;

TEST(Uri, SplitsPathSegmentsAndDecodesThem) {
    auto t = Target::parse("/healthcheck/checks/RabbitMQ%20backend?strict");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->path(), "/healthcheck/checks/RabbitMQ%20backend");
    EXPECT_EQ(t->segments(),
              (std::vector<std::string>{"healthcheck", "checks", "RabbitMQ backend"}));
    EXPECT_TRUE(t->has("strict"));
    EXPECT_EQ(t->param("strict"), "");
}

TEST(Uri, RepeatedAndEncodedQueryParameters) {
    auto t = Target::parse("/healthcheck?check=MongoDB&check=RabbitMQ+backend&name%5B%5D=a%26b");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->params("check"), (std::vector<std::string>{"MongoDB", "RabbitMQ backend"}));
    EXPECT_EQ(t->param("name[]"), "a&b");
    EXPECT_FALSE(t->param("absent"));
}

TEST(Uri, RootAndTrailingSlash) {
    EXPECT_EQ(Target::parse("/")->segments(), (std::vector<std::string>{""}));
    EXPECT_EQ(Target::parse("/a/")->segments(), (std::vector<std::string>{"a", ""}));
}

TEST(Uri, MalformedEscapesAreRefused) {
    EXPECT_FALSE(Target::parse("/a%2"));
    EXPECT_FALSE(Target::parse("/a%zz"));
    EXPECT_FALSE(Target::parse("/a?x=%"));
    EXPECT_FALSE(percent_decode("%4"));
    EXPECT_EQ(percent_decode("a+b", true), "a b");
    EXPECT_EQ(percent_decode("a+b", false), "a+b");
}

TEST(Uri, EncodesASegment) {
    EXPECT_EQ(percent_encode("RabbitMQ backend"), "RabbitMQ%20backend");
    EXPECT_EQ(percent_encode("a/b~c"), "a%2Fb~c");
}
