#include "ngx_module/core/oidc_token.hpp"

#include <cmath>

#include "shared/identity/address.hpp"
#include "shared/json/json.hpp"

namespace twake::edge {

namespace {

TokenResolution refused(std::string reason) {
    TokenResolution r;
    r.verdict = TokenVerdict::Refused;
    r.reason = std::move(reason);
    return r;
}

TokenResolution unavailable(std::string reason) {
    TokenResolution r;
    r.verdict = TokenVerdict::Unavailable;
    r.reason = std::move(reason);
    return r;
}

// An outage is not a bad credential (docs/reference/edge-worker.md §5): no answer, a gateway error
// or any 5xx.
bool outage(int status) {
    return status == 0 || status >= 500;
}

std::optional<std::string> non_empty_string(const cJSON* object, const char* key) {
    auto s = json::string_member(object, key);
    if (!s || s->empty()) {
        return std::nullopt;
    }
    return s;
}

}  // namespace

TokenResolution resolve_token(int introspection_status, std::string_view introspection_body,
                              int userinfo_status, std::string_view userinfo_body,
                              const OidcSettings& settings, int64_t now) {
    if (outage(introspection_status)) {
        return unavailable("Identity provider introspection unavailable");
    }
    if (outage(userinfo_status)) {
        return unavailable("Identity provider userinfo unavailable");
    }
    if (introspection_status != 200) {
        return refused("Token introspection refused");
    }
    auto introspection = json::Json::parse(introspection_body);
    if (!introspection || !cJSON_IsObject(introspection->get())) {
        return refused("Token introspection answer is not JSON");
    }
    const cJSON* in = introspection->get();
    auto active = json::bool_member(in, "active");
    if (!active || !*active) {
        return refused("Token is not active");
    }
    if (userinfo_status != 200) {
        return refused("Token refused by userinfo");
    }
    auto userinfo = json::Json::parse(userinfo_body);
    if (!userinfo || !cJSON_IsObject(userinfo->get())) {
        return refused("Userinfo answer is not JSON");
    }
    const cJSON* ui = userinfo->get();

    TokenResolution r;
    const cJSON* exp = cJSON_GetObjectItemCaseSensitive(in, "exp");
    // Beyond 1e13 s (year 318,000) the cast to 64 bits could overflow: not a real expiry.
    if (!cJSON_IsNumber(exp) || std::floor(exp->valuedouble) != exp->valuedouble ||
        exp->valuedouble < 0 || exp->valuedouble > 1e13) {
        return refused("Token has no expiry");
    }
    r.info.exp = static_cast<int64_t>(exp->valuedouble);  // 64 bits: upstream truncated to 32
    if (r.info.exp < now) {                               // docs/reference/auth.md §2.3 rule 2
        return refused("Token expired");
    }
    const cJSON* aud = cJSON_GetObjectItemCaseSensitive(in, "aud");
    if (cJSON_IsString(aud) && aud->valuestring != nullptr) {
        r.info.audiences.emplace_back(aud->valuestring);
    } else if (cJSON_IsArray(aud)) {
        for (const cJSON* a = aud->child; a != nullptr; a = a->next) {
            if (cJSON_IsString(a) && a->valuestring != nullptr) {
                r.info.audiences.emplace_back(a->valuestring);
            }
        }
    }
    if (r.info.audiences.empty()) {
        return refused("Token has no audience");
    }
    if (!audience_accepted(r.info.audiences, settings)) {
        return refused("Token is for another audience");
    }
    auto username = json::string_member(ui, settings.claim.c_str());
    auto address = username ? identity::parse_address(*username) : std::nullopt;
    if (!address) {
        return refused("Token carries no usable " + settings.claim + " claim");
    }
    r.info.email = address->full();
    r.info.sid = non_empty_string(ui, "sid");
    if (!r.info.sid) {
        r.info.sid = non_empty_string(in, "sid");
    }
    r.info.given_name = json::string_member(ui, "given_name");
    r.info.family_name = json::string_member(ui, "family_name");
    r.verdict = TokenVerdict::Valid;
    return r;
}

bool audience_accepted(const std::vector<std::string>& token_audiences,
                       const OidcSettings& settings) {
    for (const auto& a : token_audiences) {
        for (const auto& accepted : settings.audiences) {
            if (a == accepted) {
                return true;
            }
        }
    }
    return false;
}

bool joined_audience_accepted(std::string_view joined, const OidcSettings& settings) {
    size_t pos = 0;
    while (pos <= joined.size()) {
        size_t semi = joined.find(';', pos);
        if (semi == std::string_view::npos) {
            semi = joined.size();
        }
        std::string_view one = joined.substr(pos, semi - pos);
        for (const auto& accepted : settings.audiences) {
            if (!one.empty() && one == accepted) {
                return true;
            }
        }
        pos = semi + 1;
    }
    return false;
}

std::string join_audiences(const std::vector<std::string>& audiences) {
    std::string out;
    for (const auto& a : audiences) {
        out += (out.empty() ? "" : ";") + a;
    }
    return out;
}

std::vector<std::string> split_audiences(std::string_view joined) {
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos <= joined.size()) {
        size_t semi = joined.find(';', pos);
        if (semi == std::string_view::npos) {
            semi = joined.size();
        }
        if (semi > pos) {
            out.emplace_back(joined.substr(pos, semi - pos));
        }
        pos = semi + 1;
    }
    return out;
}

}  // namespace twake::edge
