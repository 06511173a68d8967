#include "worker/webadmin/logout_token.hpp"

#include <vector>

#include "shared/json/json.hpp"
#include "shared/text/base64url.hpp"

namespace twake::webadmin {

std::string logout_token_sid(std::string_view token) {
    if (token.empty()) {
        throw LogoutTokenError("Missing logout token");
    }
    if (token.substr(0, 3) != "eyJ") {
        throw LogoutTokenError("The logout token is not a JWT");
    }
    std::vector<std::string_view> parts;
    size_t pos = 0;
    while (pos <= token.size()) {
        size_t dot = token.find('.', pos);
        if (dot == std::string_view::npos) {
            dot = token.size();
        }
        if (dot > pos) {
            parts.push_back(token.substr(pos, dot - pos));
        }
        pos = dot + 1;
    }
    if (parts.size() < 2) {
        throw LogoutTokenError("The logout token is not a JWT: it has no payload part");
    }
    auto payload = text::decode_base64url(parts[1]);
    if (!payload) {
        throw LogoutTokenError("The logout token payload is not base64url");
    }
    auto claims = json::Json::parse(*payload);
    if (!claims || !cJSON_IsObject(claims->get())) {
        throw LogoutTokenError("The logout token payload is not a JSON object");
    }
    auto sid = json::string_member(claims->get(), "sid");
    if (!sid || sid->empty()) {
        throw LogoutTokenError("The logout token has no 'sid' claim");
    }
    return *sid;
}

}  // namespace twake::webadmin
