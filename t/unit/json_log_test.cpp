#include <gtest/gtest.h>

#include "shared/json/json.hpp"
#include "shared/log/log.hpp"

using namespace twake;

TEST(JsonLog, LineHasUpstreamFieldsInOrder) {
    auto when = std::chrono::system_clock::time_point(std::chrono::milliseconds(1748772000123));
    std::string line = log::format_line(when, log::Level::Warn, "main", "worker.main", "hello",
                                        {{"requestId", "r-1"}, {"user", "a@b.c"}});
    EXPECT_EQ(
        line,
        R"({"timestamp":"2025-06-01T10:00:00.123Z","level":"WARN","thread":"main",)"
        R"("logger":"worker.main","message":"hello","mdc":{"requestId":"r-1","user":"a@b.c"}})");
}

TEST(JsonLog, EmptyMdcIsOmittedAndExceptionIsAString) {
    auto when = std::chrono::system_clock::time_point();
    std::string line = log::format_line(when, log::Level::Error, "t", "l", "m", {}, "boom\nat x");
    EXPECT_EQ(line.find("mdc"), std::string::npos);
    EXPECT_NE(line.find(R"("exception":"boom\nat x")"), std::string::npos);
    // Every line must be one valid JSON object.
    EXPECT_TRUE(json::Json::parse(line).has_value());
}

TEST(JsonLog, EscapesControlCharactersAndQuotes) {
    EXPECT_EQ(json::quote("a\"b\\c\x01"), R"("a\"b\\c\u0001")");
}

TEST(JsonLog, ParsesLevels) {
    log::Level l{};
    EXPECT_TRUE(log::parse_level("debug", l));
    EXPECT_EQ(l, log::Level::Debug);
    EXPECT_TRUE(log::parse_level("WARNING", l));
    EXPECT_EQ(l, log::Level::Warn);
    EXPECT_FALSE(log::parse_level("LOUD", l));
}

TEST(Json, BuildsAndReadsBack) {
    json::Json o = json::Json::object();
    o.set("s", "x").set("n", 3).set("b", true).set_null("z");
    o.set("s", "y");  // replaces
    json::Json a = json::Json::array();
    a.push("one");
    o.set("a", std::move(a));
    EXPECT_EQ(o.dump(), R"({"s":"y","n":3,"b":true,"z":null,"a":["one"]})");
    auto parsed = json::Json::parse(o.dump());
    ASSERT_TRUE(parsed);
    EXPECT_EQ(json::string_member(parsed->get(), "s"), "y");
    EXPECT_EQ(json::number_member(parsed->get(), "n"), 3);
    EXPECT_EQ(json::bool_member(parsed->get(), "b"), true);
    EXPECT_FALSE(json::string_member(parsed->get(), "n"));
    EXPECT_FALSE(json::Json::parse("{not json"));
}
