#include "ngx_module/core/credential.hpp"

#include "shared/identity/address.hpp"
#include "shared/identity/basic_credentials.hpp"
#include "shared/jwt/legacy_jwt.hpp"

namespace twake::edge {

namespace {

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() &&
           identity::equal_ignoring_case(text.substr(0, prefix.size()), prefix);
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

}  // namespace

Credential read_credential(std::optional<std::string_view> authorization) {
    Credential c;
    if (!authorization) {
        return c;
    }
    std::string_view value = *authorization;
    // "Basic " is case-sensitive upstream (docs/reference/auth.md §1.2, rule 2).
    if (value.substr(0, 6) == "Basic ") {
        auto basic = identity::parse_basic(value);
        if (!basic) {
            c.kind = CredentialKind::Unsupported;
            return c;
        }
        c.kind = CredentialKind::Basic;
        c.login = std::move(basic->login);
        c.password = std::move(basic->password);
        return c;
    }
    if (starts_with_ignoring_case(value, "Bearer ")) {
        std::string_view token = trimmed(value.substr(7));
        if (token.empty()) {
            c.kind = CredentialKind::Unsupported;
            return c;
        }
        c.token = token;
        // Only "Bearer " in that exact case routes a legacy JWT (rule 3); "bearer eyJ…" of a
        // legacy JWT matches neither rule and is refused (rule 4's consequence).
        if (jwt::is_legacy_jwt(token)) {
            c.kind = value.substr(0, 7) == "Bearer " ? CredentialKind::LegacyJwt
                                                     : CredentialKind::Unsupported;
            if (c.kind == CredentialKind::Unsupported) {
                c.token = {};  // refused: keep nothing of it
            }
        } else {
            c.kind = CredentialKind::Bearer;
        }
        return c;
    }
    c.kind = CredentialKind::Unsupported;
    return c;
}

}  // namespace twake::edge
