#include "shared/contract/edge_worker.hpp"

#include <array>
#include <utility>

#include "shared/json/json.hpp"

namespace twake::contract {

namespace {

constexpr std::array<std::pair<AuthMethod, std::string_view>, 6> kAuthMethods = {{
    {AuthMethod::Oidc, "oidc"},
    {AuthMethod::Admin, "admin"},
    {AuthMethod::Basic, "basic"},
    {AuthMethod::Jwt, "jwt"},
    {AuthMethod::SecretLink, "secret_link"},
    {AuthMethod::Ticket, "ticket"},
}};

}  // namespace

std::string_view auth_method_name(AuthMethod method) {
    for (const auto& [m, name] : kAuthMethods) {
        if (m == method) {
            return name;
        }
    }
    return "";
}

std::optional<AuthMethod> parse_auth_method(std::string_view name) {
    for (const auto& [m, n] : kAuthMethods) {
        if (n == name) {
            return m;
        }
    }
    return std::nullopt;
}

std::string_view refusal_name(Refusal refusal) {
    switch (refusal) {
        case Refusal::EdgeSecret:
            return "edge-secret";
    }
    return "";
}

std::string rest_error_document(unsigned code, std::string_view type, std::string_view message,
                                std::string_view details) {
    std::string body = "{\"error\":{\"code\":" + std::to_string(code) + ",\"type\":";
    body += json::quote(type);
    body += ",\"message\":";
    body += json::quote(message);
    body += ",\"details\":";
    body += json::quote(details);
    body += "}}";
    return body;
}

std::string rest_error_details(std::string_view body, std::string fallback) {
    auto parsed = json::Json::parse(body);
    const cJSON* error =
        parsed ? cJSON_GetObjectItemCaseSensitive(parsed->get(), "error") : nullptr;
    return json::string_member(error, "details").value_or(std::move(fallback));
}

}  // namespace twake::contract
