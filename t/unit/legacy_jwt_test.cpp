#include <gtest/gtest.h>

#include <string>

#include "jwt_test_support.hpp"
#include "shared/json/json.hpp"
#include "shared/jwt/jwt_error.hpp"
#include "shared/jwt/legacy_jwt.hpp"
#include "shared/text/base64url.hpp"

using namespace jwt_test;
using twake::json::Json;
using twake::jwt::is_legacy_jwt;
using twake::jwt::JwtError;
using twake::jwt::JwtSigner;
using twake::jwt::JwtVerifier;
using twake::jwt::login_claims;
using twake::jwt::verify_login_jwt;
using twake::text::encode_base64url;

namespace {

const std::string kHeader = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9";

std::string token_with_payload(std::string_view payload_json) {
    return kHeader + "." + encode_base64url(payload_json) + ".c2lnbmF0dXJl";
}

}  // namespace

TEST(LegacyJwtTest, RecognisesTheAuthTypeInAnyCase) {
    EXPECT_TRUE(
        is_legacy_jwt(token_with_payload(R"({"sub":"a@b.c","twake_calendar_auth_type":"jwt"})")));
    EXPECT_TRUE(is_legacy_jwt(token_with_payload(R"({"twake_calendar_auth_type":"JWT"})")));
    EXPECT_TRUE(is_legacy_jwt(token_with_payload(R"({"twake_calendar_auth_type":"Jwt"})")));
}

TEST(LegacyJwtTest, SpecExampleIsALegacyJwt) {
    EXPECT_TRUE(is_legacy_jwt(
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZUBleGFtcGxlLmNvbSIsInR3YWtlX2NhbGVu"
        "ZGFyX2F1dGhfdHlwZSI6Imp3dCIsImlhdCI6MTc2NzIyNTYwMCwiZXhwIjoxNzY3MjY4ODAwfQ.c2ln"));
}

TEST(LegacyJwtTest, AcceptsAPaddedPayload) {
    std::string payload = encode_base64url(R"({"twake_calendar_auth_type":"jwt"})");
    while (payload.size() % 4 != 0) {
        payload.push_back('=');
    }
    EXPECT_TRUE(is_legacy_jwt(kHeader + "." + payload + ".c2ln"));
}

TEST(LegacyJwtTest, OtherOrMissingAuthTypeIsNotLegacy) {
    EXPECT_FALSE(is_legacy_jwt(token_with_payload(R"({"sub":"a@b.c"})")));
    EXPECT_FALSE(is_legacy_jwt(token_with_payload(R"({"twake_calendar_auth_type":"oidc"})")));
    EXPECT_FALSE(is_legacy_jwt(token_with_payload(R"({"twake_calendar_auth_type":"jwt2"})")));
    EXPECT_FALSE(is_legacy_jwt(token_with_payload(R"({"twake_calendar_auth_type":true})")));
    EXPECT_FALSE(is_legacy_jwt(token_with_payload(R"({"Twake_Calendar_Auth_Type":"jwt"})")));
}

TEST(LegacyJwtTest, NeedsExactlyThreePartsAndTheEyJPrefix) {
    std::string token = token_with_payload(R"({"twake_calendar_auth_type":"jwt"})");
    EXPECT_FALSE(is_legacy_jwt(token.substr(0, token.rfind('.'))));  // 2 parts
    EXPECT_FALSE(is_legacy_jwt(token + ".more"));                    // 4 parts
    EXPECT_FALSE(is_legacy_jwt(token.substr(1)));                    // no eyJ
    EXPECT_FALSE(is_legacy_jwt(""));
    EXPECT_FALSE(is_legacy_jwt("opaque-oidc-access-token"));
}

TEST(LegacyJwtTest, UndecodablePayloadIsNotLegacy) {
    EXPECT_FALSE(is_legacy_jwt(kHeader + ".not*base64.c2ln"));
    EXPECT_FALSE(is_legacy_jwt(kHeader + "." + encode_base64url("not json") + ".c2ln"));
    EXPECT_FALSE(is_legacy_jwt(token_with_payload(R"(["twake_calendar_auth_type","jwt"])")));
    EXPECT_FALSE(is_legacy_jwt(kHeader + "..c2ln"));
}

TEST(LoginJwt, ClaimsAreUpstreams) {
    Json claims = login_claims("alice@example.com", kNow + std::chrono::milliseconds(900),
                               std::chrono::hours(12));
    EXPECT_EQ(claims.dump(),
              R"({"sub":"alice@example.com","twake_calendar_auth_type":"jwt","iat":1767225600,)"
              R"("exp":1767268800})");
    // Byte for byte the payload of docs/reference/auth.md §4.2's example.
    EXPECT_EQ(encode_base64url(claims.dump()),
              "eyJzdWIiOiJhbGljZUBleGFtcGxlLmNvbSIsInR3YWtlX2NhbGVuZGFyX2F1dGhfdHlwZSI6Imp3dCIsImlh"
              "dCI6MTc2NzIyNTYwMCwiZXhwIjoxNzY3MjY4ODAwfQ");
}

TEST(LoginJwt, SignedLoginJwtIsLegacyAndVerifies) {
    JwtSigner signer{private_key("jwt_pkcs1_private.pem")};
    JwtVerifier verifier{{public_key("jwt_pkcs1_public.pem")}};
    std::string token =
        signer.sign(login_claims("alice@example.com", kNow, std::chrono::hours(12)));
    EXPECT_TRUE(is_legacy_jwt(token));
    EXPECT_EQ(verify_login_jwt(verifier, token, kNow), "alice@example.com");
    EXPECT_THROW(verify_login_jwt(verifier, token, kNow + std::chrono::hours(12)), JwtError);
}

TEST(LoginJwt, SubjectAndExpAreRequired) {
    JwtSigner signer{private_key("jwt_pkcs1_private.pem")};
    JwtVerifier verifier{{public_key("jwt_pkcs1_public.pem")}};
    Json no_sub = Json::object();
    no_sub.set("exp", static_cast<double>(kNowSeconds + 60));
    EXPECT_THROW(verify_login_jwt(verifier, signer.sign(no_sub), kNow), JwtError);
    Json empty_sub = Json::object();
    empty_sub.set("sub", "");
    empty_sub.set("exp", static_cast<double>(kNowSeconds + 60));
    EXPECT_THROW(verify_login_jwt(verifier, signer.sign(empty_sub), kNow), JwtError);
    Json no_exp = Json::object();
    no_exp.set("sub", "alice@example.com");
    EXPECT_THROW(verify_login_jwt(verifier, signer.sign(no_exp), kNow), JwtError);
}

TEST(ParticipationJwt, VerifiesWithoutExp) {
    // docs/reference/auth.md §6.2: emailed links carry no exp and never expire.
    JwtSigner signer{private_key("jwt_pkcs8_private.pem")};
    JwtVerifier verifier{{public_key("jwt_pkcs8_public.pem")}};
    Json claims = Json::object();
    claims.set("attendeeEmail", "bob@example.org");
    claims.set("organizerEmail", "alice@example.com");
    claims.set("uid", "event-uid-123");
    claims.set("calendarURI", "64b0c0ffee0000000000b002");
    claims.set("action", "ACCEPTED");
    claims.set("iat", static_cast<double>(kNowSeconds));
    std::string token = signer.sign(claims);
    EXPECT_FALSE(is_legacy_jwt(token));
    Json verified = verifier.verify(token, twake::jwt::ExpiryRule::Optional,
                                    kNow + std::chrono::hours(24 * 3650));
    EXPECT_EQ(twake::json::string_member(verified.get(), "action"), "ACCEPTED");
}
