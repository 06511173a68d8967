#include <gtest/gtest.h>

#include "shared/text/base64url.hpp"
#include "worker/redis/session_revocation.hpp"
#include "worker/webadmin/logout_token.hpp"

using twake::text::encode_base64url;
using twake::webadmin::logout_token_sid;
using twake::webadmin::LogoutTokenError;

namespace {

std::string token(const std::string& payload) {
    return encode_base64url(R"({"alg":"RS256"})") + "." + encode_base64url(payload) + ".c2ln";
}

std::string reason(const std::string& t) {
    try {
        logout_token_sid(t);
    } catch (const LogoutTokenError& e) {
        EXPECT_EQ(std::string(e.what()).find(t.empty() ? "\x01" : t), std::string::npos);
        return e.what();
    }
    return "accepted";
}

}  // namespace

TEST(LogoutToken, ReadsTheSidClaim) {
    EXPECT_EQ(logout_token_sid(token(R"({"sid":"sid-1","sub":"alice"})")), "sid-1");
    // No signature part, as upstream: two parts are enough.
    EXPECT_EQ(logout_token_sid(encode_base64url(R"({"alg":"none"})") + "." +
                               encode_base64url(R"({"sid":"s"})")),
              "s");
    // Empty parts are ignored, padding is optional.
    EXPECT_EQ(logout_token_sid(encode_base64url(R"({"a":1})") + ".." +
                               encode_base64url(R"({"sid":"s22"})") + "=="),
              "s22");
}

TEST(LogoutToken, RefusalsNameTheReasonNeverTheToken) {
    EXPECT_EQ(reason(""), "Missing logout token");
    EXPECT_EQ(reason("abc.def"), "The logout token is not a JWT");
    EXPECT_EQ(reason("eyJhbGciOiJub25lIn0"),
              "The logout token is not a JWT: it has no payload part");
    EXPECT_EQ(reason("eyJhbGciOiJub25lIn0.***"), "The logout token payload is not base64url");
    EXPECT_EQ(reason(token("[1,2]")), "The logout token payload is not a JSON object");
    EXPECT_EQ(reason(token("not json")), "The logout token payload is not a JSON object");
    EXPECT_EQ(reason(token(R"({"sub":"alice"})")), "The logout token has no 'sid' claim");
    EXPECT_EQ(reason(token(R"({"sid":""})")), "The logout token has no 'sid' claim");
    EXPECT_EQ(reason(token(R"({"sid":42})")), "The logout token has no 'sid' claim");
}

TEST(SessionRevocation, MessageShape) {
    EXPECT_EQ(twake::redis::revocation_message("s1", {"tcal_oidc_hash_ab", "tcal_oidc_hash_cd"}),
              R"({"sid":"s1","keys":["tcal_oidc_hash_ab","tcal_oidc_hash_cd"]})");
    EXPECT_EQ(twake::redis::revocation_message("s\"2", {}), R"({"sid":"s\"2","keys":[]})");
}
