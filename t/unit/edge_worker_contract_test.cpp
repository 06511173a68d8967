#include "shared/contract/edge_worker.hpp"

#include <gtest/gtest.h>

#include "shared/json/json.hpp"

namespace twake::contract {
namespace {

TEST(EdgeWorkerContract, AuthMethodsRoundTripByName) {
    for (AuthMethod m : {AuthMethod::Oidc, AuthMethod::Admin, AuthMethod::Basic, AuthMethod::Jwt,
                         AuthMethod::SecretLink, AuthMethod::Ticket}) {
        EXPECT_EQ(parse_auth_method(auth_method_name(m)), m);
    }
    EXPECT_EQ(auth_method_name(AuthMethod::SecretLink), "secret_link");
    EXPECT_EQ(auth_method_name(AuthMethod::Ticket), "ticket");
    // Upstream's lemon is not sent by this edge: a worker refuses it.
    EXPECT_FALSE(parse_auth_method("lemon"));
    EXPECT_FALSE(parse_auth_method("Admin"));
    EXPECT_FALSE(parse_auth_method(""));
}

TEST(EdgeWorkerContract, TheErrorDocumentHasEveryFieldAndEscapes) {
    std::string doc = rest_error_document(404, "NotFound", "Not Found", "No \"such\" thing\n");
    EXPECT_EQ(
        doc,
        R"({"error":{"code":404,"type":"NotFound","message":"Not Found","details":"No \"such\" thing\n"}})");
    auto parsed = json::Json::parse(doc);
    ASSERT_TRUE(parsed);
}

TEST(EdgeWorkerContract, ARefusalsDetailsElseTheFallback) {
    EXPECT_EQ(rest_error_details(R"({"error":{"details":"why"}})", "fallback"), "why");
    EXPECT_EQ(rest_error_details("not json", "fallback"), "fallback");
    EXPECT_EQ(rest_error_details(R"({"error":{}})", "fallback"), "fallback");
}

TEST(EdgeWorkerContract, RefusalsHaveStableNames) {
    EXPECT_EQ(refusal_name(Refusal::EdgeSecret), "edge-secret");
}

}  // namespace
}  // namespace twake::contract
