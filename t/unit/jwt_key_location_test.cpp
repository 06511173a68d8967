#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "jwt_test_support.hpp"
#include "shared/config/config_error.hpp"
#include "shared/jwt/jwt_signer.hpp"
#include "shared/jwt/jwt_verifier.hpp"
#include "shared/jwt/key_location.hpp"

using namespace jwt_test;
using twake::config::ConfigError;
using twake::jwt::load_private_key;
using twake::jwt::load_public_keys;
using twake::jwt::resolve_key_location;

namespace {

const std::filesystem::path kData = data_path("");

// The ConfigError message, or "" when nothing was thrown.
template <typename F>
std::string config_error(F&& f) {
    try {
        f();
        return "";
    } catch (const ConfigError& e) {
        return e.what();
    }
}

}  // namespace

TEST(KeyLocation, ResolvesFileConfAndPlainPaths) {
    EXPECT_EQ(resolve_key_location("file:///etc/keys/jwt.pem", "/conf", "k"),
              std::filesystem::path("/etc/keys/jwt.pem"));
    EXPECT_EQ(resolve_key_location("conf://jwt_privatekey", "/etc/twake", "k"),
              std::filesystem::path("/etc/twake/jwt_privatekey"));
    EXPECT_EQ(resolve_key_location("/srv/key.pem", "/conf", "k"),
              std::filesystem::path("/srv/key.pem"));
}

TEST(KeyLocation, RefusesClasspathAndEmptyLocations) {
    std::string message = config_error(
        [] { resolve_key_location("classpath://jwt_privatekey", "/c", "jwt.key.private"); });
    EXPECT_NE(message.find("jwt.key.private"), std::string::npos);
    EXPECT_NE(message.find("classpath://"), std::string::npos);
    EXPECT_THROW(resolve_key_location("", "/c", "k"), ConfigError);
    EXPECT_THROW(resolve_key_location("conf://", "/c", "k"), ConfigError);
    EXPECT_THROW(resolve_key_location("file://", "/c", "k"), ConfigError);
}

TEST(KeyLocation, LoadsPkcs1AndPkcs8PrivateKeys) {
    auto pkcs8 = load_private_key("conf://jwt_pkcs8_private.pem", kData, "jwt.key.private");
    auto pkcs1 = load_private_key("file://" + data_path("jwt_pkcs1_private.pem").string(), "/none",
                                  "jwt.key.private");
    EXPECT_EQ(pkcs8.public_key().pem(), public_key("jwt_pkcs8_public.pem").pem());
    EXPECT_EQ(pkcs1.public_key().pem(), public_key("jwt_pkcs1_public.pem").pem());
}

TEST(KeyLocation, LoadsACommaSeparatedListOfPublicKeys) {
    auto keys = load_public_keys(" conf://jwt_pkcs1_public.pem , ,conf://jwt_pkcs8_public.pem,",
                                 kData, "jwt.key.public");
    ASSERT_EQ(keys.size(), 2u);
    twake::jwt::JwtVerifier verifier{keys};
    twake::jwt::JwtSigner signer{private_key("jwt_pkcs8_private.pem")};
    twake::json::Json claims = twake::json::Json::object();
    claims.set("exp", static_cast<double>(kNowSeconds + 60));
    EXPECT_NO_THROW(verifier.verify(signer.sign(claims), twake::jwt::ExpiryRule::Required, kNow));
}

TEST(KeyLocation, MissingFileNamesTheKeyAndLocation) {
    std::string message =
        config_error([] { load_private_key("conf://absent.pem", kData, "jwt.key.private"); });
    EXPECT_NE(message.find("'jwt.key.private' = 'conf://absent.pem'"), std::string::npos);
    EXPECT_NE(message.find("cannot read"), std::string::npos);
    EXPECT_THROW(load_public_keys("conf://jwt_pkcs8_public.pem,conf://absent.pem", kData, "k"),
                 ConfigError);
}

TEST(KeyLocation, ADirectoryIsNotAKey) {
    EXPECT_THROW(load_private_key(kData.string(), "/", "jwt.key.private"), ConfigError);
}

TEST(KeyLocation, WrongKindOfKeyIsAClearError) {
    std::string message = config_error(
        [] { load_private_key("conf://jwt_pkcs8_public.pem", kData, "jwt.key.private"); });
    EXPECT_NE(message.find("not an unencrypted PEM RSA private key"), std::string::npos);
    EXPECT_THROW(load_private_key("conf://ec_private.pem", kData, "k"), ConfigError);
    EXPECT_THROW(load_private_key("conf://jwt_encrypted_private.pem", kData, "k"), ConfigError);
    message = config_error(
        [] { load_public_keys("conf://jwt_pkcs8_private.pem", kData, "jwt.key.public"); });
    EXPECT_NE(message.find("'jwt.key.public' = 'conf://jwt_pkcs8_private.pem'"), std::string::npos);
    EXPECT_NE(message.find("not a PEM RSA public key"), std::string::npos);
    EXPECT_THROW(load_public_keys("conf://ec_public.pem", kData, "k"), ConfigError);
    EXPECT_THROW(load_public_keys("conf://README.md", kData, "k"), ConfigError);
}

TEST(KeyLocation, EmptyPublicKeyListIsAnError) {
    EXPECT_THROW(load_public_keys("", kData, "jwt.key.public"), ConfigError);
    EXPECT_THROW(load_public_keys(" , ", kData, "jwt.key.public"), ConfigError);
}

TEST(KeyLocation, MessagesNeverContainKeyMaterial) {
    std::string message =
        config_error([] { load_public_keys("conf://jwt_pkcs8_private.pem", kData, "k"); });
    EXPECT_EQ(message.find("-----"), std::string::npos);
    EXPECT_EQ(message.find("MII"), std::string::npos);
}
