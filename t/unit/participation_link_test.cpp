// The participation links of invitation mails and their tokens read back
// (docs/reference/auth.md §6.2).

#include <gtest/gtest.h>

#include <string>

#include "jwt_test_support.hpp"
#include "shared/json/json.hpp"
#include "shared/jwt/jwt_verifier.hpp"
#include "worker/mail/participation_link.hpp"

namespace {

using twake::json::Json;
using namespace twake::mail;

const std::chrono::sys_seconds kIat{std::chrono::seconds(jwt_test::kNowSeconds)};
const std::string kPrefix = "https://excal.example.com/excal/?jwt=";

Participation bob_to_alice() {
    return {"bob@example.com", "alice@example.com", "uid-1", "home1"};
}

// The verified claims of a link.
Json claims_of(const std::string& link) {
    twake::jwt::JwtVerifier verifier({jwt_test::public_key("jwt_pkcs8_public.pem")});
    return verifier.verify(link.substr(kPrefix.size()), twake::jwt::ExpiryRule::Optional,
                           jwt_test::kNow);
}

Json valid_claims() {
    Json claims = Json::object();
    claims.set("attendeeEmail", "bob@example.org")
        .set("organizerEmail", "alice@example.com")
        .set("uid", "event-uid-123")
        .set("calendarURI", "64b0c0ffee0000000000b002")
        .set("action", "TENTATIVE")
        .set("iat", 1767225600.0);
    return claims;
}

TEST(ParticipationLink, CarriesTheFiveClaimsAndNoExpiry) {
    twake::jwt::JwtSigner signer(jwt_test::private_key("jwt_pkcs8_private.pem"));
    std::string link =
        participation_link(signer, "https://excal.example.com//", bob_to_alice(), "REJECTED", kIat);
    ASSERT_EQ(link.rfind(kPrefix, 0), 0u);
    Json claims = claims_of(link);
    EXPECT_EQ(twake::json::string_member(claims.get(), "attendeeEmail"), "bob@example.com");
    EXPECT_EQ(twake::json::string_member(claims.get(), "organizerEmail"), "alice@example.com");
    EXPECT_EQ(twake::json::string_member(claims.get(), "uid"), "uid-1");
    EXPECT_EQ(twake::json::string_member(claims.get(), "calendarURI"), "home1");
    EXPECT_EQ(twake::json::string_member(claims.get(), "action"), "REJECTED");
    EXPECT_EQ(twake::json::number_member(claims.get(), "iat"), 1767225600.0);
    EXPECT_EQ(cJSON_GetObjectItemCaseSensitive(claims.get(), "exp"), nullptr);
}

TEST(ParticipationLink, TheThreeLinksAnswerYesNoMaybe) {
    twake::jwt::JwtSigner signer(jwt_test::private_key("jwt_pkcs8_private.pem"));
    ParticipationLinks links =
        participation_links(signer, "https://excal.example.com", bob_to_alice(), kIat);
    for (const auto& [link, action] :
         {std::pair{links.yes, "ACCEPTED"}, std::pair{links.no, "REJECTED"},
          std::pair{links.maybe, "TENTATIVE"}}) {
        auto read = read_participation_claims(claims_of(link).get());
        ASSERT_TRUE(read.has_value());
        EXPECT_EQ(read->action, action);
        EXPECT_EQ(read->participation.attendee, "bob@example.com");
        EXPECT_EQ(read->participation.calendar_home, "home1");
    }
}

TEST(ParticipationLink, ReadsTheClaimsOfAValidToken) {
    auto read = read_participation_claims(valid_claims().get());
    ASSERT_TRUE(read.has_value());
    EXPECT_EQ(read->participation.attendee, "bob@example.org");
    EXPECT_EQ(read->participation.organizer, "alice@example.com");
    EXPECT_EQ(read->participation.uid, "event-uid-123");
    EXPECT_EQ(read->participation.calendar_home, "64b0c0ffee0000000000b002");
    EXPECT_EQ(read->action, "TENTATIVE");
}

TEST(ParticipationLink, RefusesMissingOrInvalidClaims) {
    for (const char* name : {"attendeeEmail", "organizerEmail", "uid", "calendarURI", "action"}) {
        Json claims = valid_claims();
        cJSON_DeleteItemFromObjectCaseSensitive(claims.get(), name);
        EXPECT_FALSE(read_participation_claims(claims.get()).has_value()) << name << " missing";
    }
    auto with = [](const char* name, const char* value) {
        Json claims = valid_claims();
        claims.set(name, value);
        return read_participation_claims(claims.get());
    };
    EXPECT_FALSE(with("attendeeEmail", "bob").has_value());
    EXPECT_FALSE(with("organizerEmail", "alice@").has_value());
    EXPECT_FALSE(with("uid", "").has_value());
    EXPECT_FALSE(with("calendarURI", "").has_value());
    EXPECT_FALSE(with("action", "accepted").has_value()) << "case-sensitive";
    EXPECT_FALSE(with("action", "DECLINED").has_value()) << "a PARTSTAT is no action";
    Json numeric = valid_claims();
    numeric.set("uid", 12.0);
    EXPECT_FALSE(read_participation_claims(numeric.get()).has_value());
}

TEST(ParticipationLink, ALoginTokensClaimsAreNoParticipation) {
    Json login = Json::object();
    login.set("sub", "bob@example.org").set("twake_calendar_auth_type", "jwt");
    EXPECT_FALSE(read_participation_claims(login.get()).has_value());
}

TEST(ParticipationLink, ActionsSetTheirPartstat) {
    EXPECT_EQ(partstat_of_action("ACCEPTED"), "ACCEPTED");
    EXPECT_EQ(partstat_of_action("REJECTED"), "DECLINED");
    EXPECT_EQ(partstat_of_action("TENTATIVE"), "TENTATIVE");
}

}  // namespace
