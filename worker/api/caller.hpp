#pragma once

// Who is calling, as the edge says it (docs/reference/edge-worker.md §1): X-Twake-User,
// X-Twake-Auth, X-Twake-Sid, X-Twake-Request-Id. Only the edge can set these (the listener is a
// unix socket or requires the edge secret), and the edge removes any client-sent copy first.

#include <optional>
#include <string>

#include "shared/contract/edge_worker.hpp"
#include "worker/http/message.hpp"

namespace twake::api {

using contract::AuthMethod;

struct Caller {
    std::string email;   // lower-cased address
    std::string domain;  // its domain part
    AuthMethod method = AuthMethod::Oidc;
    std::optional<std::string> sid;

    // The admin super-user is recognised by how it authenticated, never by its address:
    // an IdP account with admin.username's address is an ordinary user
    // (docs/reference/edge-worker.md §1).
    bool admin() const { return method == AuthMethod::Admin; }
    // Whether this caller may read entities of `other_domain` (docs/reference/rest-api.md §2).
    bool may_read(const std::string& other_domain) const {
        return admin() || other_domain == domain;
    }
};

// Nullopt when the request carries no (valid) identity.
std::optional<Caller> read_caller(const http::Request& request);

// The caller of a protected route; throws RestError 401 when there is none.
Caller require_caller(const http::Request& request);

// The edge's request id, or "-" when absent.
std::string request_id(const http::Request& request);

// A header's value, or nullopt.
std::optional<std::string> header(const http::Request& request, std::string_view name);

}  // namespace twake::api
