#include <gtest/gtest.h>

#include "shared/config/properties.hpp"

using twake::config::ConfigError;
using twake::config::Properties;

namespace {

std::optional<std::string> fake_env(const std::string& name) {
    if (name == "TCAL_URL")
        return std::string("mongodb://db:27017");
    if (name == "EMPTY")
        return std::string();
    return std::nullopt;
}

}  // namespace

TEST(Properties, ReadsTheThreeSeparatorsAndSkipsComments) {
    auto p =
        Properties::parse("# comment\n! other\na=1\nb: 2\nc 3\n  d  =  four  \n\n", "t", fake_env);
    EXPECT_EQ(p.get("a"), "1");
    EXPECT_EQ(p.get("b"), "2");
    EXPECT_EQ(p.get("c"), "3");
    EXPECT_EQ(p.get("d"), "four");
    EXPECT_FALSE(p.contains("comment"));
    EXPECT_EQ(p.entries().size(), 4u);
}

TEST(Properties, JoinsContinuationLinesAndUnescapes) {
    auto p = Properties::parse(
        "list=a,\\\n    b,\\\n    c\nkey\\ with\\ space=x\\ty\nu=caf\\u00e9\n", "t", fake_env);
    EXPECT_EQ(p.get("list"), "a,b,c");
    EXPECT_EQ(p.get("key with space"), "x\ty");
    EXPECT_EQ(p.get("u"), "caf\xc3\xa9");
}

TEST(Properties, EvenBackslashesDoNotContinue) {
    auto p = Properties::parse("path=C:\\\\\nnext=1\n", "t", fake_env);
    EXPECT_EQ(p.get("path"), "C:\\");
    EXPECT_EQ(p.get("next"), "1");
}

TEST(Properties, InterpolatesEnvironmentAndKeys) {
    auto p = Properties::parse("mongo.url=${env:TCAL_URL}/x\nhost=db\nurl=http://${host}:1\n", "t",
                               fake_env);
    EXPECT_EQ(p.get("mongo.url"), "mongodb://db:27017/x");
    EXPECT_EQ(p.get("url"), "http://db:1");
}

TEST(Properties, UnsetVariableNamesKeyAndVariable) {
    try {
        Properties::parse("mongo.url=${env:NOPE}\n", "configuration.properties", fake_env);
        FAIL() << "expected ConfigError";
    } catch (const ConfigError& e) {
        std::string m = e.what();
        EXPECT_NE(m.find("configuration.properties"), std::string::npos) << m;
        EXPECT_NE(m.find("mongo.url"), std::string::npos) << m;
        EXPECT_NE(m.find("NOPE"), std::string::npos) << m;
    }
}

TEST(Properties, UnclosedReferenceAndUnknownKeyAreErrors) {
    EXPECT_THROW(Properties::parse("a=${env:X\n", "t", fake_env), ConfigError);
    EXPECT_THROW(Properties::parse("a=${missing}\n", "t", fake_env), ConfigError);
    EXPECT_THROW(Properties::parse("a=${b}\nb=${a}\n", "t", fake_env), ConfigError);
}

TEST(Properties, FirstDefinitionWinsAndDuplicatesAreReported) {
    auto p = Properties::parse("a=1\na=2\n", "t", fake_env);
    EXPECT_EQ(p.get("a"), "1");
    ASSERT_EQ(p.duplicates().size(), 1u);
    EXPECT_EQ(p.duplicates()[0], "a");
}

TEST(Properties, ListsAreTrimmedAndDropEmptyItems) {
    auto p = Properties::parse("domains= a.com , ,b.org,\nnone=\n", "t", fake_env);
    EXPECT_EQ(p.list("domains"), (std::vector<std::string>{"a.com", "b.org"}));
    EXPECT_TRUE(p.list("none").empty());
    EXPECT_TRUE(p.list("absent").empty());
    EXPECT_EQ(p.get_or("absent", "dflt"), "dflt");
}

TEST(Properties, ExpandEnvOnASingleValue) {
    EXPECT_EQ(twake::config::expand_env("x=${env:TCAL_URL}", "where", fake_env),
              "x=mongodb://db:27017");
    EXPECT_EQ(twake::config::expand_env("${env:EMPTY}", "where", fake_env), "");
    EXPECT_THROW(twake::config::expand_env("${env:NOPE}", "where", fake_env), ConfigError);
}
