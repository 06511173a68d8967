#include "ngx_module/core/cors.hpp"

#include <gtest/gtest.h>

#include <array>

namespace twake::edge {
namespace {

constexpr std::array<std::string_view, 2> kAllowed = {"https://calendar.example.com",
                                                      "http://localhost:3000"};

TEST(Cors, AnyOriginIsAStarWithoutCredentials) {
    auto answer = cors_answer(CorsPolicy::Any, {}, "https://evil.test");
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->allow_origin, "*");
    EXPECT_FALSE(answer->credentials);
    EXPECT_FALSE(answer->vary);
}

TEST(Cors, ListedOriginsAreEchoedWithCredentials) {
    auto answer = cors_answer(CorsPolicy::List, kAllowed, "http://localhost:3000");
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->allow_origin, "http://localhost:3000");
    EXPECT_TRUE(answer->credentials);
    EXPECT_TRUE(answer->vary);
}

TEST(Cors, OtherOriginsGetNothing) {
    EXPECT_FALSE(cors_answer(CorsPolicy::List, kAllowed, "https://calendar.example.com.evil.test"));
    EXPECT_FALSE(cors_answer(CorsPolicy::List, kAllowed, "https://calendar.example.com/"));
    EXPECT_FALSE(cors_answer(CorsPolicy::List, kAllowed, "null"));
    EXPECT_FALSE(cors_answer(CorsPolicy::Off, kAllowed, "https://calendar.example.com"));
}

TEST(Cors, SameOriginOrNativeRequestsHaveNoOrigin) {
    EXPECT_FALSE(cors_answer(CorsPolicy::Any, {}, ""));
    EXPECT_FALSE(cors_answer(CorsPolicy::List, kAllowed, ""));
}

TEST(Cors, APreflightNeedsOriginAndRequestedMethod) {
    EXPECT_TRUE(is_preflight("OPTIONS", "https://a.test", "PUT"));
    EXPECT_FALSE(is_preflight("OPTIONS", "", "PUT"));             // a DAV client's OPTIONS
    EXPECT_FALSE(is_preflight("OPTIONS", "https://a.test", ""));  // a script's plain OPTIONS
    EXPECT_FALSE(is_preflight("GET", "https://a.test", "PUT"));
}

TEST(Cors, OriginPatterns) {
    EXPECT_TRUE(valid_origin_pattern("*"));
    EXPECT_TRUE(valid_origin_pattern("https://calendar.example.com"));
    EXPECT_TRUE(valid_origin_pattern("http://localhost:3000"));
    EXPECT_TRUE(valid_origin_pattern("http://[::1]:8080"));
    EXPECT_FALSE(valid_origin_pattern("https://calendar.example.com/"));
    EXPECT_FALSE(valid_origin_pattern("https://calendar.example.com/app"));
    EXPECT_FALSE(valid_origin_pattern("calendar.example.com"));
    EXPECT_FALSE(valid_origin_pattern("HTTPS://Calendar.example.com"));
    EXPECT_FALSE(valid_origin_pattern("https://"));
    EXPECT_FALSE(valid_origin_pattern("https://*.example.com"));
}

TEST(Cors, BrowserScriptsAreRecognisedByTheirSignals) {
    EXPECT_FALSE(from_browser_script("", "", ""));          // DAVx5, Thunderbird
    EXPECT_FALSE(from_browser_script("", "navigate", ""));  // a page load
    EXPECT_TRUE(from_browser_script("XMLHttpRequest", "", ""));
    EXPECT_TRUE(from_browser_script("", "cors", ""));
    EXPECT_TRUE(from_browser_script("", "same-origin", ""));
    EXPECT_TRUE(from_browser_script("", "", "https://calendar.example.com"));
}

}  // namespace
}  // namespace twake::edge
