#include <gtest/gtest.h>

#include "worker/webadmin/webadmin_log.hpp"

using twake::webadmin::capped;
using twake::webadmin::is_secret_field;
using twake::webadmin::loggable_body;
using twake::webadmin::loggable_query;

TEST(WebadminLog, SecretFieldNames) {
    EXPECT_TRUE(is_secret_field("password"));
    EXPECT_TRUE(is_secret_field("Password"));
    EXPECT_TRUE(is_secret_field("newPassword"));
    EXPECT_TRUE(is_secret_field("logout_token"));
    EXPECT_TRUE(is_secret_field("clientSecret"));
    EXPECT_FALSE(is_secret_field("username"));
    EXPECT_FALSE(is_secret_field("task"));
}

TEST(WebadminLog, JsonPasswordsAreRedactedAtAnyDepth) {
    std::string body =
        R"({"password":"s3cret","user":{"name":"a","Password":"p2"},"list":[{"password":"p3"}],"n":1})";
    std::string logged = loggable_body(body, "application/json", false);
    EXPECT_EQ(logged.find("s3cret"), std::string::npos);
    EXPECT_EQ(logged.find("p2"), std::string::npos);
    EXPECT_EQ(logged.find("p3"), std::string::npos);
    EXPECT_EQ(
        logged,
        R"({"password":"***","user":{"name":"a","Password":"***"},"list":[{"password":"***"}],"n":1})");
    // The content type does not matter for JSON.
    EXPECT_EQ(loggable_body(R"({"password":"x"})", "", false), R"({"password":"***"})");
}

TEST(WebadminLog, FormSecretsAreRedacted) {
    EXPECT_EQ(loggable_body("logout_token=eyJhbGc.eyJzaWQ.sig&x=1",
                            "application/x-www-form-urlencoded; charset=UTF-8", false),
              "logout_token=***&x=1");
    EXPECT_EQ(loggable_body("a=1&pass%77ord=x&b", "application/x-www-form-urlencoded", false),
              "a=1&pass%77ord=***&b");
}

TEST(WebadminLog, UnparsedRequestBodiesAreNotLogged) {
    std::string logged = loggable_body("{\"password\":\"oops\"", "application/json", false);
    EXPECT_EQ(logged.find("oops"), std::string::npos);
    EXPECT_NE(logged.find("not logged"), std::string::npos);
    EXPECT_EQ(loggable_body("", "application/json", false), "");
    // Bodies the worker wrote (metrics text) may be logged as text.
    EXPECT_EQ(loggable_body("# TYPE x gauge", "text/plain", true), "# TYPE x gauge");
}

TEST(WebadminLog, BodiesAreCappedOnACharacterBoundary) {
    std::string text(5000, 'a');
    std::string logged = capped(text);
    EXPECT_EQ(logged.substr(0, 4096), std::string(4096, 'a'));
    EXPECT_NE(logged.find("(truncated, 5000 bytes)"), std::string::npos);
    std::string accents = "a" + std::string(3, '\0');
    std::string e_acute = "\xC3\xA9";
    std::string s = "ab" + e_acute + "cd";  // 'é' spans bytes 2 and 3
    EXPECT_EQ(capped(s, 3).substr(0, 2), "ab");
    EXPECT_EQ(capped(s, 3).find('\xC3'), std::string::npos);
    std::string big = "{\"k\":\"" + std::string(10000, 'x') + "\"}";
    EXPECT_LT(loggable_body(big, "application/json", false).size(), 4200u);
}

TEST(WebadminLog, QuerySecretsAreRedacted) {
    EXPECT_EQ(loggable_query("/tasks?status=completed"), "status=completed");
    EXPECT_EQ(loggable_query("/x?token=abc&jwt=1&ticket=2"), "token=***&jwt=1&ticket=2");
    EXPECT_EQ(loggable_query("/users"), "");
}
