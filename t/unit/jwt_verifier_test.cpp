#include <gtest/gtest.h>
#include <jwt.h>

#include <string>

#include "jwt_test_support.hpp"
#include "shared/json/json.hpp"
#include "shared/jwt/jwt_error.hpp"
#include "shared/jwt/jwt_signer.hpp"
#include "shared/jwt/jwt_verifier.hpp"
#include "shared/jwt/libjwt_handle.hpp"
#include "shared/text/base64url.hpp"

using namespace jwt_test;
using twake::json::Json;
using twake::jwt::ExpiryRule;
using twake::jwt::JwtError;
using twake::jwt::JwtSigner;
using twake::jwt::JwtVerifier;
using twake::jwt::RsaPrivateKey;
using twake::jwt::RsaPublicKey;

namespace {

const char* const kRs256Header = R"({"typ":"JWT","alg":"RS256"})";

Json claims_expiring_at(int64_t exp) {
    Json claims = Json::object();
    claims.set("sub", "alice@example.com");
    claims.set("exp", static_cast<double>(exp));
    return claims;
}

std::string part(const std::string& token, int index) {
    size_t start = 0;
    for (int i = 0; i < index; ++i) {
        start = token.find('.', start) + 1;
    }
    return token.substr(start, token.find('.', start) - start);
}

class JwtVerifierTest : public ::testing::Test {
  protected:
    RsaPrivateKey key = private_key("jwt_pkcs8_private.pem");
    JwtSigner signer{key};
    JwtVerifier verifier{{public_key("jwt_pkcs8_public.pem")}};

    std::string valid_token() { return signer.sign(claims_expiring_at(kNowSeconds + 3600)); }

    // The reason verify() gives, or "" when it accepts the token.
    std::string refusal(const std::string& token, ExpiryRule rule = ExpiryRule::Required) {
        try {
            verifier.verify(token, rule, kNow);
            return "";
        } catch (const JwtError& e) {
            return e.what();
        }
    }
};

}  // namespace

TEST_F(JwtVerifierTest, RoundTripReturnsTheClaims) {
    Json claims = verifier.verify(valid_token(), ExpiryRule::Required, kNow);
    EXPECT_EQ(twake::json::string_member(claims.get(), "sub"), "alice@example.com");
    EXPECT_EQ(twake::json::number_member(claims.get(), "exp"), kNowSeconds + 3600);
}

TEST_F(JwtVerifierTest, HeaderIsExactlyUpstreams) {
    std::string token = valid_token();
    EXPECT_EQ(part(token, 0), "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9");
    EXPECT_EQ(twake::text::decode_base64url(part(token, 0)), kRs256Header);
    EXPECT_EQ(token.find('='), std::string::npos);
    EXPECT_EQ(part(token, 2).size(), 342u);  // 256 bytes, unpadded
}

TEST_F(JwtVerifierTest, LibjwtAcceptsOurTokens) {
    std::string token = valid_token();
    std::string pem = public_key("jwt_pkcs8_public.pem").pem();
    jwt_t* raw = nullptr;
    int status = jwt_decode(&raw, token.c_str(), reinterpret_cast<const unsigned char*>(pem.data()),
                            static_cast<int>(pem.size()));
    twake::jwt::JwtHandle decoded(raw);
    ASSERT_EQ(status, 0);
    EXPECT_EQ(jwt_get_alg(decoded.get()), JWT_ALG_RS256);
    EXPECT_STREQ(jwt_get_grant(decoded.get(), "sub"), "alice@example.com");
}

TEST_F(JwtVerifierTest, Pkcs1PrivateKeySignsToo) {
    JwtSigner pkcs1{private_key("jwt_pkcs1_private.pem")};
    JwtVerifier pkcs1_verifier{{public_key("jwt_pkcs1_public.pem")}};
    std::string token = pkcs1.sign(claims_expiring_at(kNowSeconds + 60));
    EXPECT_NO_THROW(pkcs1_verifier.verify(token, ExpiryRule::Required, kNow));
    EXPECT_EQ(refusal(token), "bad signature");
}

TEST_F(JwtVerifierTest, PublicKeyDerivedFromThePrivateKeyVerifies) {
    JwtVerifier derived{{key.public_key()}};
    EXPECT_NO_THROW(derived.verify(valid_token(), ExpiryRule::Required, kNow));
    EXPECT_EQ(key.public_key().pem(), public_key("jwt_pkcs8_public.pem").pem());
}

TEST_F(JwtVerifierTest, WrongKeyIsABadSignature) {
    JwtSigner other{private_key("jwt_pkcs1_private.pem")};
    EXPECT_EQ(refusal(other.sign(claims_expiring_at(kNowSeconds + 60))), "bad signature");
}

TEST_F(JwtVerifierTest, AnyOfSeveralKeysVerifies) {
    JwtVerifier two_keys{{public_key("jwt_pkcs1_public.pem"), public_key("jwt_pkcs8_public.pem")}};
    EXPECT_NO_THROW(two_keys.verify(valid_token(), ExpiryRule::Required, kNow));
    JwtSigner first{private_key("jwt_pkcs1_private.pem")};
    EXPECT_NO_THROW(two_keys.verify(first.sign(claims_expiring_at(kNowSeconds + 60)),
                                    ExpiryRule::Required, kNow));
}

TEST_F(JwtVerifierTest, EmptyKeyListIsRefused) {
    EXPECT_THROW(JwtVerifier({}), JwtError);
}

TEST_F(JwtVerifierTest, TamperedPayloadIsABadSignature) {
    std::string token = valid_token();
    std::string forged_payload = twake::text::encode_base64url(
        R"({"sub":"mallory@example.com","exp":)" + std::to_string(kNowSeconds + 3600) + "}");
    std::string forged = part(token, 0) + "." + forged_payload + "." + part(token, 2);
    EXPECT_EQ(refusal(forged), "bad signature");
}

TEST_F(JwtVerifierTest, TamperedSignatureIsABadSignature) {
    std::string token = valid_token();
    EXPECT_EQ(refusal(flip_char(token, token.size() - 100)), "bad signature");
}

TEST_F(JwtVerifierTest, SignatureWithTrailingJunkIsMalformed) {
    // libjwt 1.10 alone skips characters outside the alphabet and would accept these.
    std::string token = valid_token();
    EXPECT_EQ(refusal(token + "!!"), "malformed token");
    EXPECT_EQ(refusal(token + "=="), "malformed token");
    EXPECT_EQ(refusal(token + ".x"), "malformed token");
}

TEST_F(JwtVerifierTest, MalformedTokensAreRefused) {
    EXPECT_EQ(refusal(""), "malformed token");
    EXPECT_EQ(refusal("abc"), "malformed token");
    EXPECT_EQ(refusal("a.b"), "malformed token");
    EXPECT_EQ(refusal("eyJ.eyJ.sig"), "malformed token");
    std::string token = valid_token();
    EXPECT_EQ(refusal(" " + token), "malformed token");
    EXPECT_EQ(refusal(std::string(20000, 'a')), "token too large");
    // Payload that is JSON but not an object.
    std::string array_payload = rs256_token(key, kRs256Header, "[1,2]");
    EXPECT_EQ(refusal(array_payload), "malformed token");
    // Trailing data after the JSON object.
    std::string trailing = rs256_token(key, kRs256Header, R"({"exp":1}x)");
    EXPECT_EQ(refusal(trailing), "malformed token");
}

TEST_F(JwtVerifierTest, ExpiredIsRefusedWithoutSkew) {
    std::string token = signer.sign(claims_expiring_at(kNowSeconds));
    EXPECT_EQ(refusal(token), "expired");
    EXPECT_NO_THROW(verifier.verify(token, ExpiryRule::Required, at(kNowSeconds - 1)));
    EXPECT_NO_THROW(
        verifier.verify(token, ExpiryRule::Required, kNow - std::chrono::milliseconds(1)));
}

TEST_F(JwtVerifierTest, NotBeforeInTheFutureIsRefused) {
    Json claims = claims_expiring_at(kNowSeconds + 3600);
    claims.set("nbf", static_cast<double>(kNowSeconds + 1));
    std::string token = signer.sign(claims);
    EXPECT_EQ(refusal(token), "not yet valid");
    EXPECT_NO_THROW(verifier.verify(token, ExpiryRule::Required, at(kNowSeconds + 1)));
}

TEST_F(JwtVerifierTest, MissingExpOnlyMattersWhenRequired) {
    Json claims = Json::object();
    claims.set("sub", "alice@example.com");
    std::string token = signer.sign(claims);
    EXPECT_EQ(refusal(token, ExpiryRule::Required), "missing exp");
    EXPECT_EQ(refusal(token, ExpiryRule::Optional), "");
}

TEST_F(JwtVerifierTest, OptionalExpIsStillEnforcedWhenPresent) {
    std::string token = signer.sign(claims_expiring_at(kNowSeconds - 10));
    EXPECT_EQ(refusal(token, ExpiryRule::Optional), "expired");
}

TEST_F(JwtVerifierTest, NonNumericTimeClaimsAreRefused) {
    Json claims = Json::object();
    claims.set("exp", "tomorrow");
    EXPECT_EQ(refusal(signer.sign(claims), ExpiryRule::Optional), "malformed exp");
    Json nbf = claims_expiring_at(kNowSeconds + 60);
    nbf.set("nbf", "yesterday");
    EXPECT_EQ(refusal(signer.sign(nbf)), "malformed nbf");
}

TEST_F(JwtVerifierTest, Hs256KeyedWithThePublicKeyIsRefused) {
    // The classic confusion: HMAC over the token keyed with the verifier's public PEM.
    std::string pem = public_key("jwt_pkcs8_public.pem").pem();
    std::string payload =
        R"({"sub":"mallory@example.com","exp":)" + std::to_string(kNowSeconds + 3600) + "}";
    std::string forged = hs256_token(pem, R"({"typ":"JWT","alg":"HS256"})", payload);
    EXPECT_EQ(refusal(forged), "algorithm not accepted");

    // Why the header check matters: libjwt 1.10 alone accepts that token.
    jwt_t* raw = nullptr;
    int status =
        jwt_decode(&raw, forged.c_str(), reinterpret_cast<const unsigned char*>(pem.data()),
                   static_cast<int>(pem.size()));
    twake::jwt::JwtHandle decoded(raw);
    EXPECT_EQ(status, 0);
}

TEST_F(JwtVerifierTest, DuplicateAlgMembersAreRefused) {
    // cJSON reads the first "alg", libjwt's jansson the last: such a header must never pass.
    std::string pem = public_key("jwt_pkcs8_public.pem").pem();
    std::string payload =
        R"({"sub":"mallory@example.com","exp":)" + std::to_string(kNowSeconds + 3600) + "}";
    std::string forged = hs256_token(pem, R"({"alg":"RS256","alg":"HS256"})", payload);
    EXPECT_EQ(refusal(forged), "malformed token");
}

TEST_F(JwtVerifierTest, DuplicateClaimsAreRefused) {
    std::string token =
        rs256_token(key, kRs256Header, R"({"sub":"alice@example.com","exp":1,"exp":9999999999})");
    EXPECT_EQ(refusal(token), "malformed token");
}

TEST_F(JwtVerifierTest, NoneAlgorithmIsRefused) {
    std::string payload = twake::text::encode_base64url(R"({"sub":"mallory@example.com","exp":)" +
                                                        std::to_string(kNowSeconds + 3600) + "}");
    std::string header = twake::text::encode_base64url(R"({"alg":"none"})");
    EXPECT_EQ(refusal(header + "." + payload + "."), "algorithm not accepted");
    // Even with a valid RS256 signature appended.
    std::string token = valid_token();
    EXPECT_EQ(refusal(header + "." + payload + "." + part(token, 2)), "algorithm not accepted");
}

TEST_F(JwtVerifierTest, OtherRsaAlgorithmsAreRefused) {
    std::string payload = R"({"exp":)" + std::to_string(kNowSeconds + 3600) + "}";
    EXPECT_EQ(refusal(rs256_token(key, R"({"typ":"JWT","alg":"RS512"})", payload)),
              "algorithm not accepted");
    EXPECT_EQ(refusal(rs256_token(key, R"({"typ":"JWT","alg":"rs256"})", payload)),
              "algorithm not accepted");
    EXPECT_EQ(refusal(rs256_token(key, R"({"typ":"JWT"})", payload)), "algorithm not accepted");
    EXPECT_EQ(refusal(rs256_token(key, R"({"alg":["RS256"]})", payload)), "algorithm not accepted");
}

TEST_F(JwtVerifierTest, KidHeaderIsRefused) {
    std::string payload = R"({"exp":)" + std::to_string(kNowSeconds + 3600) + "}";
    std::string token = rs256_token(key, R"({"typ":"JWT","alg":"RS256","kid":"k1"})", payload);
    EXPECT_EQ(refusal(token), "kid not accepted");
}

TEST_F(JwtVerifierTest, CritHeaderIsRefused) {
    std::string payload = R"({"exp":)" + std::to_string(kNowSeconds + 3600) + "}";
    std::string token = rs256_token(key, R"({"alg":"RS256","crit":["x"],"x":1})", payload);
    EXPECT_EQ(refusal(token), "crit not accepted");
}

TEST_F(JwtVerifierTest, TypOtherThanJwtIsRefusedAndAbsentTypAccepted) {
    std::string payload = R"({"exp":)" + std::to_string(kNowSeconds + 3600) + "}";
    EXPECT_EQ(refusal(rs256_token(key, R"({"alg":"RS256","typ":"at+jwt"})", payload)),
              "typ not accepted");
    EXPECT_EQ(refusal(rs256_token(key, R"({"alg":"RS256","typ":"jwt"})", payload)), "");
    EXPECT_EQ(refusal(rs256_token(key, R"({"alg":"RS256"})", payload)), "");
}

TEST_F(JwtVerifierTest, ReasonNeverQuotesTheToken) {
    std::string token = valid_token();
    for (const std::string& bad : {flip_char(token, token.size() - 100), token + "!",
                                   part(token, 1), std::string("x.") + token}) {
        try {
            verifier.verify(bad, ExpiryRule::Required, kNow);
            ADD_FAILURE() << "accepted";
        } catch (const JwtError& e) {
            std::string reason = e.what();
            EXPECT_LT(reason.size(), 40u);
            EXPECT_EQ(reason.find("eyJ"), std::string::npos);
        }
    }
}

TEST(RsaKeys, RefusesWhatIsNotAnRsaKey) {
    EXPECT_THROW(RsaPrivateKey::from_pem(""), JwtError);
    EXPECT_THROW(
        RsaPrivateKey::from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
        JwtError);
    EXPECT_THROW(RsaPrivateKey::from_pem(read_data("ec_private.pem")), JwtError);
    EXPECT_THROW(RsaPrivateKey::from_pem(read_data("jwt_pkcs8_public.pem")), JwtError);
    EXPECT_THROW(RsaPublicKey::from_pem(read_data("ec_public.pem")), JwtError);
    EXPECT_THROW(RsaPublicKey::from_pem(read_data("jwt_pkcs8_private.pem")), JwtError);
    EXPECT_THROW(RsaPublicKey::from_pem("not a key"), JwtError);
}

TEST(RsaKeys, RefusesAnEncryptedPrivateKeyWithoutPrompting) {
    EXPECT_THROW(RsaPrivateKey::from_pem(read_data("jwt_encrypted_private.pem")), JwtError);
}

TEST(JwtSigner, RefusesClaimsThatAreNotAnObject) {
    JwtSigner signer{private_key("jwt_pkcs8_private.pem")};
    EXPECT_THROW(signer.sign(Json::array()), JwtError);
    EXPECT_THROW(signer.sign(Json()), JwtError);
}
