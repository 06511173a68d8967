#include "worker/api/caller.hpp"

#include "shared/identity/address.hpp"
#include "worker/api/rest_error.hpp"

namespace twake::api {

std::optional<std::string> header(const http::Request& request, std::string_view name) {
    auto it = request.find(name);
    if (it == request.end()) {
        return std::nullopt;
    }
    return std::string(it->value());
}

std::optional<Caller> read_caller(const http::Request& request) {
    auto user = header(request, "X-Twake-User");
    auto auth = header(request, "X-Twake-Auth");
    if (!user || !auth) {
        return std::nullopt;
    }
    auto address = identity::parse_address(*user);
    if (!address) {
        return std::nullopt;
    }
    Caller c;
    c.email = address->full();
    c.domain = address->domain;
    if (*auth == "oidc")
        c.method = AuthMethod::Oidc;
    else if (*auth == "admin")
        c.method = AuthMethod::Admin;
    else if (*auth == "basic")
        c.method = AuthMethod::Basic;
    else if (*auth == "jwt")
        c.method = AuthMethod::Jwt;
    else if (*auth == "lemon")
        c.method = AuthMethod::Lemon;
    else if (*auth == "ticket")
        c.method = AuthMethod::Ticket;
    else
        return std::nullopt;
    if (auto sid = header(request, "X-Twake-Sid"); sid && !sid->empty()) {
        c.sid = *sid;
    }
    return c;
}

Caller require_caller(const http::Request& request) {
    auto caller = read_caller(request);
    if (!caller) {
        throw unauthorized("No authenticated user");
    }
    return *caller;
}

std::string request_id(const http::Request& request) {
    auto id = header(request, "X-Twake-Request-Id");
    return id && !id->empty() ? *id : "-";
}

}  // namespace twake::api
