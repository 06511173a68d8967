// Bearer tokens that claim to be JWTs (legacy OpenPaaS logins, emailed links, technical
// tokens): the compact form, the JSON of its parts, and the whole verification with a key.

#include "shared/jwt/compact_jws.hpp"
#include "shared/jwt/jwt_error.hpp"
#include "shared/jwt/jwt_verifier.hpp"
#include "shared/jwt/legacy_jwt.hpp"
#include "t/fuzz/fuzz_target.hpp"
#include "t/unit/jwt_test_support.hpp"

namespace jwt = twake::jwt;

TWAKE_FUZZ_TARGET(jwt) {
    static const jwt::JwtVerifier verifier({jwt_test::public_key("jwt_pkcs1_public.pem")});
    (void)jwt::is_legacy_jwt(input);
    (void)jwt::parse_json_object(input);
    twake::fuzz::refused_as<jwt::JwtError>([&] { (void)jwt::decode_compact_jws(input); });
    twake::fuzz::refused_as<jwt::JwtError>(
        [&] { (void)verifier.verify(input, jwt::ExpiryRule::Optional); });
    twake::fuzz::refused_as<jwt::JwtError>(
        [&] { (void)jwt::verify_login_jwt(verifier, input, std::chrono::system_clock::now()); });
}
