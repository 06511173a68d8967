#include <gtest/gtest.h>

#include <string>

#include "jwt_test_support.hpp"
#include "shared/config/config_error.hpp"
#include "shared/json/json.hpp"
#include "shared/jwt/jwt_error.hpp"
#include "shared/jwt/technical_token.hpp"
#include "shared/text/base64url.hpp"

using namespace jwt_test;
using twake::config::ConfigError;
using twake::json::Json;
using twake::jwt::JwtError;
using twake::jwt::name_based_uuid;
using twake::jwt::TechnicalTokenIssuer;

namespace {

const std::string kSecret = "0123456789abcdef0123456789abcdef-technical";
const char* const kHs256Header = R"({"alg":"HS256","typ":"JWT"})";

std::string claims_json(std::string_view extra_members) {
    return std::string(
               R"({"iss":"Twake-calendar-side-service","domainId":"64b0c0ffee0000000000a001",)") +
           std::string(extra_members) + "}";
}

std::string valid_members(int64_t exp = kNowSeconds + 3600) {
    return R"("technicalToken":true,"data":{"name":"Sabre Dav"},"exp":)" + std::to_string(exp);
}

class TechnicalTokenTest : public ::testing::Test {
  protected:
    TechnicalTokenIssuer issuer{kSecret, std::chrono::seconds(3600)};

    std::string refusal(const std::string& token) {
        try {
            issuer.verify(token, kNow);
            return "";
        } catch (const JwtError& e) {
            return e.what();
        }
    }
};

}  // namespace

TEST(NameBasedUuid, MatchesJavasNameUuidFromBytes) {
    EXPECT_EQ(name_based_uuid("test-domain-id"), "4890c190-d1d6-392e-afbf-991d4ce359b6");
}

TEST(NameBasedUuid, HasVersion3AndTheIetfVariant) {
    std::string uuid = name_based_uuid("64b0c0ffee0000000000a001");
    ASSERT_EQ(uuid.size(), 36u);
    EXPECT_EQ(uuid[14], '3');
    EXPECT_NE(std::string("89ab").find(uuid[19]), std::string::npos);
}

TEST(TechnicalUserData, IsTheObjectOfTheSpec) {
    EXPECT_EQ(twake::jwt::technical_user_data("test-domain-id").dump(),
              R"({"data":{"principal":"principals/technicalUser"},"type":"dav",)"
              R"("user_type":"technical","schemaVersion":1,"__v":0,)"
              R"("description":"Allows to authenticate on Sabre DAV","name":"Sabre Dav",)"
              R"("domainId":"test-domain-id","_id":"4890c190-d1d6-392e-afbf-991d4ce359b6"})");
}

TEST_F(TechnicalTokenTest, RoundTrip) {
    std::string token = issuer.issue("test-domain-id", kNow);
    twake::jwt::TechnicalTokenClaims claims = issuer.verify(token, kNow);
    EXPECT_EQ(claims.domain_id, "test-domain-id");
    EXPECT_EQ(claims.data.dump(), twake::jwt::technical_user_data("test-domain-id").dump());
}

TEST_F(TechnicalTokenTest, TokenHasUpstreamsHeaderAndClaims) {
    std::string token = issuer.issue("test-domain-id", kNow);
    size_t first = token.find('.');
    size_t second = token.find('.', first + 1);
    EXPECT_EQ(twake::text::decode_base64url(token.substr(0, first)), kHs256Header);
    std::optional<std::string> payload =
        twake::text::decode_base64url(token.substr(first + 1, second - first - 1));
    ASSERT_TRUE(payload);
    EXPECT_EQ(*payload, R"({"iss":"Twake-calendar-side-service","domainId":"test-domain-id",)"
                        R"("technicalToken":true,"data":)" +
                            twake::jwt::technical_user_data("test-domain-id").dump() +
                            R"(,"exp":1767229200})");
    EXPECT_EQ(token.find('='), std::string::npos);
}

TEST_F(TechnicalTokenTest, TokensFromAnotherIssuerWithTheSameSecretVerify) {
    // What a Java instance sharing the secret would send (members in another order).
    std::string token =
        hs256_token(kSecret, R"({"typ":"JWT","alg":"HS256"})", claims_json(valid_members()));
    EXPECT_EQ(refusal(token), "");
}

TEST_F(TechnicalTokenTest, WrongSecretIsABadSignature) {
    TechnicalTokenIssuer other{kSecret + "-other", std::chrono::seconds(3600)};
    EXPECT_EQ(refusal(other.issue("test-domain-id", kNow)), "bad signature");
}

TEST_F(TechnicalTokenTest, TamperedPayloadOrSignatureIsABadSignature) {
    std::string token = issuer.issue("test-domain-id", kNow);
    size_t first = token.find('.');
    size_t second = token.find('.', first + 1);
    std::string forged_payload = twake::text::encode_base64url(claims_json(valid_members()));
    EXPECT_EQ(refusal(token.substr(0, first + 1) + forged_payload + token.substr(second)),
              "bad signature");
    EXPECT_EQ(refusal(flip_char(token, token.size() - 10)), "bad signature");
    EXPECT_EQ(refusal(token.substr(0, second + 1)), "bad signature");  // empty signature
}

TEST_F(TechnicalTokenTest, Expired) {
    std::string token = issuer.issue("test-domain-id", kNow);
    EXPECT_NO_THROW(issuer.verify(token, kNow + std::chrono::seconds(3599)));
    EXPECT_THROW(issuer.verify(token, kNow + std::chrono::seconds(3600)), JwtError);
    EXPECT_EQ(refusal(hs256_token(kSecret, kHs256Header, claims_json(valid_members(kNowSeconds)))),
              "expired");
}

TEST_F(TechnicalTokenTest, MissingExpIsRefused) {
    std::string claims = claims_json(R"("technicalToken":true,"data":{})");
    EXPECT_EQ(refusal(hs256_token(kSecret, kHs256Header, claims)), "missing exp");
}

TEST_F(TechnicalTokenTest, OnlyHs256IsAccepted) {
    std::string claims = claims_json(valid_members());
    EXPECT_EQ(refusal(hs256_token(kSecret, R"({"alg":"HS512","typ":"JWT"})", claims)),
              "algorithm not accepted");
    EXPECT_EQ(refusal(hs256_token(kSecret, R"({"alg":"RS256"})", claims)),
              "algorithm not accepted");
    std::string none = twake::text::encode_base64url(R"({"alg":"none"})") + "." +
                       twake::text::encode_base64url(claims) + ".";
    EXPECT_EQ(refusal(none), "algorithm not accepted");
    EXPECT_EQ(refusal(rs256_token(private_key("jwt_pkcs8_private.pem"),
                                  R"({"alg":"RS256","typ":"JWT"})", claims)),
              "algorithm not accepted");
}

TEST_F(TechnicalTokenTest, WrongOrMissingIssuer) {
    std::string wrong = R"({"iss":"someone-else","domainId":"d",)" + valid_members() + "}";
    EXPECT_EQ(refusal(hs256_token(kSecret, kHs256Header, wrong)), "wrong issuer");
    std::string missing = R"({"domainId":"d",)" + valid_members() + "}";
    EXPECT_EQ(refusal(hs256_token(kSecret, kHs256Header, missing)), "wrong issuer");
}

TEST_F(TechnicalTokenTest, TechnicalTokenClaimMustBeTrue) {
    std::string exp = R"("data":{},"exp":)" + std::to_string(kNowSeconds + 60);
    for (const char* flag : {R"("technicalToken":false,)", R"("technicalToken":"true",)", ""}) {
        std::string claims = claims_json(std::string(flag) + exp);
        EXPECT_EQ(refusal(hs256_token(kSecret, kHs256Header, claims)), "not a technical token")
            << flag;
    }
}

TEST_F(TechnicalTokenTest, DomainIdMustBeAString) {
    std::string claims =
        R"({"iss":"Twake-calendar-side-service","domainId":42,)" + valid_members() + "}";
    EXPECT_EQ(refusal(hs256_token(kSecret, kHs256Header, claims)), "missing domainId");
}

TEST_F(TechnicalTokenTest, DataMustBeAnObject) {
    std::string exp = R"(,"exp":)" + std::to_string(kNowSeconds + 60);
    std::string claims = claims_json(R"("technicalToken":true,"data":"x")" + exp);
    EXPECT_EQ(refusal(hs256_token(kSecret, kHs256Header, claims)), "missing data");
    std::string absent = claims_json(R"("technicalToken":true)" + exp);
    EXPECT_EQ(refusal(hs256_token(kSecret, kHs256Header, absent)), "missing data");
}

TEST_F(TechnicalTokenTest, MalformedTokens) {
    EXPECT_EQ(refusal(""), "malformed token");
    EXPECT_EQ(refusal("garbage"), "malformed token");
    EXPECT_EQ(refusal(issuer.issue("d", kNow) + "="), "malformed token");
}

TEST(TechnicalTokenIssuer, WarnsOnShortSecretsAndRefusesEmptyOnesAndNonPositiveValidity) {
    EXPECT_TRUE(TechnicalTokenIssuer("short", std::chrono::seconds(60)).weak_secret());
    EXPECT_FALSE(TechnicalTokenIssuer(kSecret, std::chrono::seconds(60)).weak_secret());
    EXPECT_THROW(TechnicalTokenIssuer("", std::chrono::seconds(60)), ConfigError);
    EXPECT_THROW(TechnicalTokenIssuer(kSecret, std::chrono::seconds(0)), ConfigError);
    EXPECT_NO_THROW(TechnicalTokenIssuer(std::string(32, 'x'), std::chrono::seconds(1)));
}
