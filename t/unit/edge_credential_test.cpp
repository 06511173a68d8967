#include <gtest/gtest.h>

#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "ngx_module/core/credential.hpp"
#include "shared/text/base64url.hpp"

using twake::edge::Credential;
using twake::edge::CredentialKind;
using twake::edge::read_credential;
using twake::text::encode_base64;
using twake::text::encode_base64url;

namespace {

// A credential's token is a view into its header, which nginx keeps for the whole request:
// the headers read here are kept for the whole test run likewise.
Credential read_one(std::string_view header) {
    static std::deque<std::string> headers;
    return read_credential(std::string_view(headers.emplace_back(header)));
}

// A token whose payload names the legacy auth type (docs/reference/auth.md §4.3): "eyJ…" with three
// parts.
std::string legacy_jwt() {
    return "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9." +
           encode_base64url(R"({"sub":"alice@example.com","twake_calendar_auth_type":"jwt"})") +
           ".c2ln";
}

// A JWT that is not a legacy one: an OIDC access token that happens to be a JWT.
std::string oidc_jwt() {
    return "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9." +
           encode_base64url(R"({"sub":"a1b2c3","aud":"tcalendar"})") + ".c2ln";
}

void expect_no_basic_fields(const Credential& c) {
    EXPECT_EQ(c.login, "");
    EXPECT_EQ(c.password, "");
}

}  // namespace

TEST(EdgeCredential, NoHeaderIsNone) {
    Credential c = read_credential(std::nullopt);
    EXPECT_EQ(c.kind, CredentialKind::None);
    expect_no_basic_fields(c);
    EXPECT_EQ(c.token, "");
}

TEST(EdgeCredential, AnEmptyHeaderIsUnsupported) {
    EXPECT_EQ(read_one("").kind, CredentialKind::Unsupported);
}

TEST(EdgeCredential, BasicGivesLoginAndPassword) {
    Credential c = read_one("Basic YWxpY2U6c2VjcmV0");  // alice:secret
    EXPECT_EQ(c.kind, CredentialKind::Basic);
    EXPECT_EQ(c.login, "alice");
    EXPECT_EQ(c.password, "secret");
    EXPECT_EQ(c.token, "");
}

TEST(EdgeCredential, BasicSplitsAtTheFirstColon) {
    Credential c = read_one("Basic " + encode_base64("alice@example.com:pa:ss:word"));
    EXPECT_EQ(c.kind, CredentialKind::Basic);
    EXPECT_EQ(c.login, "alice@example.com");
    EXPECT_EQ(c.password, "pa:ss:word");
}

TEST(EdgeCredential, BasicWithAnEmptyPasswordOrLogin) {
    Credential c = read_one("Basic YWxpY2U6");  // "alice:"
    EXPECT_EQ(c.kind, CredentialKind::Basic);
    EXPECT_EQ(c.login, "alice");
    EXPECT_EQ(c.password, "");

    c = read_one("Basic " + encode_base64(":secret"));
    EXPECT_EQ(c.kind, CredentialKind::Basic);
    EXPECT_EQ(c.login, "");
    EXPECT_EQ(c.password, "secret");
}

TEST(EdgeCredential, BasicAcceptsStandardBase64AndUtf8) {
    // RFC 7617 (docs/reference/auth.md §3.1 deviation): '+' and '/' are legitimate, padding
    // optional.
    Credential c = read_one("Basic +/86eA==");  // "\xfb\xff:x"
    EXPECT_EQ(c.kind, CredentialKind::Basic);
    EXPECT_EQ(c.login, "\xfb\xff");
    EXPECT_EQ(c.password, "x");

    c = read_one("Basic w6lsaXNlOm1vdCBkZSBwYXNzZQ==");  // "élise:mot de passe"
    EXPECT_EQ(c.kind, CredentialKind::Basic);
    EXPECT_EQ(c.login, "\xc3\xa9lise");
    EXPECT_EQ(c.password, "mot de passe");

    c = read_one("Basic YTpiOmM");  // "a:b:c", padding left out
    EXPECT_EQ(c.kind, CredentialKind::Basic);
    EXPECT_EQ(c.login, "a");
    EXPECT_EQ(c.password, "b:c");
}

TEST(EdgeCredential, BasicWithInvalidBase64IsUnsupported) {
    for (const char* header :
         {"Basic not*base64", "Basic YWxpY2U6c2VjcmV0!", "Basic Y",
          "Basic YWxpY2U6c2VjcmV0=====", "Basic YWxp Y2U6c2VjcmV0", "Basic YWxpY2U6c2VjcmV0 ",
          "Basic  YWxpY2U6c2VjcmV0", "Basic -_86eA"}) {
        Credential c = read_one(header);
        EXPECT_EQ(c.kind, CredentialKind::Unsupported) << header;
        expect_no_basic_fields(c);
        EXPECT_EQ(c.token, "") << header;
    }
}

TEST(EdgeCredential, BasicWithoutAColonIsUnsupported) {
    Credential c = read_one("Basic bm9jb2xvbg==");  // "nocolon"
    EXPECT_EQ(c.kind, CredentialKind::Unsupported);
    expect_no_basic_fields(c);

    c = read_one("Basic ");  // decodes to "": no colon either
    EXPECT_EQ(c.kind, CredentialKind::Unsupported);
    expect_no_basic_fields(c);
}

TEST(EdgeCredential, BasicSchemeIsCaseSensitive) {
    // docs/reference/auth.md §1.2 rule 2: only "Basic " (that case, one space) is Basic.
    for (const char* header :
         {"basic YWxpY2U6c2VjcmV0", "BASIC YWxpY2U6c2VjcmV0", "BaSiC YWxpY2U6c2VjcmV0"}) {
        Credential c = read_one(header);
        EXPECT_EQ(c.kind, CredentialKind::Unsupported) << header;
        expect_no_basic_fields(c);
        EXPECT_EQ(c.token, "") << header;
    }
}

TEST(EdgeCredential, BasicNeedsTheSpace) {
    EXPECT_EQ(read_one("Basic").kind, CredentialKind::Unsupported);
    EXPECT_EQ(read_one("BasicYWxpY2U6c2VjcmV0").kind, CredentialKind::Unsupported);
    EXPECT_EQ(read_one("Basic\tYWxpY2U6c2VjcmV0").kind, CredentialKind::Unsupported);
}

TEST(EdgeCredential, BearerOpaqueTokenIsOidc) {
    Credential c = read_one("Bearer 2YotnFZFEjr1zCsicMWpAA");
    EXPECT_EQ(c.kind, CredentialKind::Bearer);
    EXPECT_EQ(c.token, "2YotnFZFEjr1zCsicMWpAA");
    expect_no_basic_fields(c);
}

TEST(EdgeCredential, BearerSchemeIsCaseInsensitiveForOpaqueTokens) {
    // docs/reference/auth.md §1.2 rule 4.
    for (const char* header : {"bearer 2YotnFZFEjr1zCsicMWpAA", "BEARER 2YotnFZFEjr1zCsicMWpAA",
                               "BeArEr 2YotnFZFEjr1zCsicMWpAA"}) {
        Credential c = read_one(header);
        EXPECT_EQ(c.kind, CredentialKind::Bearer) << header;
        EXPECT_EQ(c.token, "2YotnFZFEjr1zCsicMWpAA") << header;
        expect_no_basic_fields(c);
    }
}

TEST(EdgeCredential, BearerTokenIsTrimmed) {
    Credential c = read_one("Bearer  2YotnFZFEjr1zCsicMWpAA ");
    EXPECT_EQ(c.kind, CredentialKind::Bearer);
    EXPECT_EQ(c.token, "2YotnFZFEjr1zCsicMWpAA");

    c = read_one("Bearer \t opaque-token\t \t");
    EXPECT_EQ(c.kind, CredentialKind::Bearer);
    EXPECT_EQ(c.token, "opaque-token");
}

TEST(EdgeCredential, BearerKeepsInnerCharactersAsGiven) {
    Credential c = read_one("Bearer a b+c/d=");
    EXPECT_EQ(c.kind, CredentialKind::Bearer);
    EXPECT_EQ(c.token, "a b+c/d=");
}

TEST(EdgeCredential, EmptyBearerIsUnsupported) {
    for (const char* header : {"Bearer ", "Bearer    ", "Bearer \t ", "bearer "}) {
        Credential c = read_one(header);
        EXPECT_EQ(c.kind, CredentialKind::Unsupported) << header;
        EXPECT_EQ(c.token, "") << header;
        expect_no_basic_fields(c);
    }
}

TEST(EdgeCredential, BearerNeedsTheSpace) {
    EXPECT_EQ(read_one("Bearer").kind, CredentialKind::Unsupported);
    EXPECT_EQ(read_one("Beareropaque").kind, CredentialKind::Unsupported);
    EXPECT_EQ(read_one("Bearer\topaque").kind, CredentialKind::Unsupported);
}

TEST(EdgeCredential, BearerLegacyJwtIsLegacy) {
    std::string token = legacy_jwt();
    Credential c = read_one("Bearer " + token);
    EXPECT_EQ(c.kind, CredentialKind::LegacyJwt);
    EXPECT_EQ(c.token, token);
    expect_no_basic_fields(c);
}

TEST(EdgeCredential, SpecExampleLegacyJwtIsLegacy) {
    const std::string token =
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZUBleGFtcGxlLmNvbSIsInR3YWtlX2NhbGVu"
        "ZGFyX2F1dGhfdHlwZSI6Imp3dCIsImlhdCI6MTc2NzIyNTYwMCwiZXhwIjoxNzY3MjY4ODAwfQ.c2ln";
    Credential c = read_one("Bearer " + token);
    EXPECT_EQ(c.kind, CredentialKind::LegacyJwt);
    EXPECT_EQ(c.token, token);
}

TEST(EdgeCredential, LegacyJwtIsRecognisedAfterTrimming) {
    std::string token = legacy_jwt();
    Credential c = read_one("Bearer   " + token + "  ");
    EXPECT_EQ(c.kind, CredentialKind::LegacyJwt);
    EXPECT_EQ(c.token, token);
}

TEST(EdgeCredential, LegacyJwtWithALowerCaseSchemeIsUnsupported) {
    // docs/reference/auth.md §1.2: "bearer eyJ…" of a legacy JWT matches neither rule 3 nor rule 4.
    std::string token = legacy_jwt();
    for (const char* scheme : {"bearer ", "BEARER ", "BeArEr "}) {
        Credential c = read_one(std::string(scheme) + token);
        EXPECT_EQ(c.kind, CredentialKind::Unsupported) << scheme;
        expect_no_basic_fields(c);
    }
}

TEST(EdgeCredential, NonLegacyJwtIsOidcInAnyCase) {
    std::string token = oidc_jwt();
    for (const char* scheme : {"Bearer ", "bearer "}) {
        Credential c = read_one(std::string(scheme) + token);
        EXPECT_EQ(c.kind, CredentialKind::Bearer) << scheme;
        EXPECT_EQ(c.token, token) << scheme;
    }
}

TEST(EdgeCredential, OtherSchemesAreUnsupported) {
    for (const char* header : {"Digest username=\"alice\", realm=\"x\", nonce=\"n\"",
                               "Negotiate YIIGhgYJKoZIhvcSAQICAQBuggZ1MIIGcaADAgEFoQMCAQ6iBwMF",
                               "NTLM TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAGAbEdAAAADw==",
                               "Token opaque", "opaque", "", " Bearer opaque", " Basic YWxpY2U6"}) {
        Credential c = read_one(header);
        EXPECT_EQ(c.kind, CredentialKind::Unsupported) << header;
        expect_no_basic_fields(c);
        EXPECT_EQ(c.token, "") << header;
    }
}
