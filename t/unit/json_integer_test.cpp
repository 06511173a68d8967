// Integers read from outside JSON (shared/json/json.hpp): only those a double holds exactly.

#include <gtest/gtest.h>

#include "shared/json/json.hpp"

namespace {

using twake::json::integer_member;
using twake::json::Json;

std::optional<long long> status_of(const char* text) {
    auto doc = Json::parse(text);
    return integer_member(doc->get(), "status");
}

TEST(JsonInteger, OnlyExactIntegers) {
    EXPECT_EQ(status_of(R"({"status":201})"), 201);
    EXPECT_EQ(status_of(R"({"status":-3})"), -3);
    EXPECT_EQ(status_of(R"({"status":9007199254740992})"), 9007199254740992LL);
    EXPECT_FALSE(status_of(R"({"status":2.5})"));
    EXPECT_FALSE(status_of(R"({"status":"201"})"));
    EXPECT_FALSE(status_of(R"({})"));
    // A fuzzing finding (t/fuzz/json_bodies/finding-bulk-status-1e83.json): converting such a
    // double to an integer is undefined behaviour.
    EXPECT_FALSE(status_of(
        R"({"status":104294444444444444444444444444444444444444444444444444444444444444444444444444444444})"));
    EXPECT_FALSE(status_of(R"({"status":1e300})"));
}

}  // namespace
