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
    auto user = header(request, contract::header::kUser);
    auto auth = header(request, contract::header::kAuth);
    auto method = auth ? contract::parse_auth_method(*auth) : std::nullopt;
    if (!user || !method) {
        return std::nullopt;
    }
    auto address = identity::parse_address(*user);
    if (!address) {
        return std::nullopt;
    }
    Caller c;
    c.email = address->full();
    c.domain = address->domain;
    c.method = *method;
    if (auto sid = header(request, contract::header::kSid); sid && !sid->empty()) {
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
    auto id = header(request, contract::header::kRequestId);
    return id && !id->empty() ? *id : "-";
}

}  // namespace twake::api
