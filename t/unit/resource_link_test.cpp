#include <gtest/gtest.h>

#include "jwt_test_support.hpp"
#include "shared/jwt/jwt_error.hpp"
#include "shared/jwt/jwt_signer.hpp"
#include "shared/jwt/jwt_verifier.hpp"
#include "worker/booking/resource_link.hpp"

using namespace jwt_test;
using twake::json::Json;
using twake::jwt::ExpiryRule;
using twake::jwt::JwtError;
using twake::jwt::JwtSigner;
using twake::jwt::JwtVerifier;
using namespace twake::booking;

TEST(ResourceLink, ClaimsNameTheResourceAndItsCopyAndExpire) {
    Json claims = resource_link_claims("6620a1b2c3d4e5f601234567", "sabredav-1", kNow,
                                       std::chrono::hours(12));
    EXPECT_EQ(claims.dump(), R"({"resourceId":"6620a1b2c3d4e5f601234567","eventId":"sabredav-1",)"
                             R"("iat":1767225600,"exp":1767268800})");
}

TEST(ResourceLink, ASignedLinkIsAcceptedForItsOwnPathOnly) {
    JwtSigner signer(private_key("jwt_pkcs8_private.pem"));
    JwtVerifier verifier{{public_key("jwt_pkcs8_public.pem")}};
    std::string token =
        signer.sign(resource_link_claims("r1", "e1", kNow, std::chrono::milliseconds(3600 * 1000)));

    Json claims = verifier.verify(token, ExpiryRule::Required, kNow);
    EXPECT_TRUE(claims_name(claims.get(), "r1", "e1"));
    EXPECT_FALSE(claims_name(claims.get(), "r1", "e2"));
    EXPECT_FALSE(claims_name(claims.get(), "r2", "e1"));
    EXPECT_THROW(verifier.verify(token, ExpiryRule::Required, at(kNowSeconds + 3600)), JwtError);

    Json other = Json::object();
    other.set("resourceId", "r1");
    other.set("eventId", 1);
    EXPECT_FALSE(claims_name(other.get(), "r1", "1"));
    EXPECT_FALSE(claims_name(Json::object().get(), "", ""));
}

TEST(ResourceLink, ParticipationUrl) {
    EXPECT_EQ(resource_participation_url("https://cal.example.com/", "r1", "sabredav-1", "ACCEPTED",
                                         "a.b.c"),
              "https://cal.example.com/calendar/api/resources/r1/sabredav-1/participation"
              "?status=ACCEPTED&referrer=email&jwt=a.b.c");
    EXPECT_EQ(
        resource_participation_url("https://cal.example.com", "r1", "uid@host/x", "DECLINED", "t"),
        "https://cal.example.com/calendar/api/resources/r1/uid%40host%2Fx/participation"
        "?status=DECLINED&referrer=email&jwt=t");
}
