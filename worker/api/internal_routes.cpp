// The calls the edge makes on the API listener (docs/reference/edge-worker.md §2). nginx exposes
// none of them (its locations are `internal`).

#include <optional>

#include "shared/identity/address.hpp"
#include "shared/text/percent.hpp"
#include "shared/identity/basic_credentials.hpp"
#include "shared/json/json.hpp"
#include "shared/log/log.hpp"
#include "worker/api/caller.hpp"
#include "worker/api/rest_error.hpp"
#include "worker/api/routes.hpp"
#include "worker/http/uri.hpp"
#include "worker/services/domain_directory.hpp"
#include "worker/services/edge_sign_in.hpp"

namespace twake::api {

namespace {

using http::beast_http::status;
using http::beast_http::verb;

const log::Logger kLog("worker.api.internal");

// Names arrive percent-encoded UTF-8 (a header is ASCII).
std::optional<std::string> name_header(const http::Request& request, std::string_view name) {
    auto raw = header(request, name);
    if (!raw || raw->empty()) {
        return std::nullopt;
    }
    return text::percent_decode(*raw);
}

// Refuses a sign-in whose user's domain is not registered (logged: an operator may have
// forgotten to create it).
RestError domain_not_registered(const http::Request& request, const std::string& user,
                                const std::string& domain) {
    kLog.warn("Login refused: the user's domain is not registered",
              {{"user", user}, {"domain", domain}, {"requestId", request_id(request)}});
    return forbidden("Domain " + domain + " is not registered");
}

}  // namespace

void add_internal_routes(http::Router& router, ApiContext& ctx) {
    services::EdgeSignIn sign_in(ctx.blocking, ctx.provisioning, ctx.directory);

    // POST /internal/provision: the user behind a newly resolved OIDC token must exist in
    // MongoDB before the edge caches the token or impersonates it towards esn-sabre.
    router.add(verb::post, "/internal/provision",
               [sign_in](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   auto address =
                       identity::parse_address(header(route.request, "X-Twake-User").value_or(""));
                   if (!address) {
                       throw bad_request("X-Twake-User must be an e-mail address");
                   }
                   std::string email = address->full();
                   auto given = name_header(route.request, "X-Twake-Given-Name");
                   auto family = name_header(route.request, "X-Twake-Family-Name");
                   auto result = co_await sign_in.provision(email, given, family);
                   if (!result) {
                       throw domain_not_registered(route.request, email, address->domain);
                   }
                   json::Json body = json::Json::object();
                   body.set("id", result->user.id);
                   body.set("created", result->created);
                   co_return json_response(status::ok, body.dump());
               });

    // GET /internal/basic-auth: a regular user's Basic credentials checked against LDAP. The
    // user is provisioned as an OIDC user is (names from the directory): a native DAV client's
    // first request must find the user known to esn-sabre.
    router.add(verb::get, "/internal/basic-auth",
               [sign_in](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   auto credentials =
                       identity::parse_basic(header(route.request, "Authorization").value_or(""));
                   if (!credentials || !sign_in.has_directory()) {
                       throw unauthorized(!sign_in.has_directory() ? "No LDAP directory configured"
                                                                   : "Malformed Basic credentials");
                   }
                   using Outcome = services::BasicSignIn::Outcome;
                   auto checked = co_await sign_in.basic(credentials->login, credentials->password);
                   const std::string& username = checked.username;
                   switch (checked.outcome) {
                       case Outcome::DirectoryUnavailable:
                           throw service_unavailable("LDAP directory unavailable");
                       case Outcome::WrongCredentials:
                           throw unauthorized("Wrong login or password");
                       case Outcome::DomainNotRegistered:
                           throw domain_not_registered(route.request, username,
                                                       username.substr(username.find('@') + 1));
                       case Outcome::Accepted:
                           break;
                   }
                   json::Json body = json::Json::object();
                   body.set("username", username);
                   co_return json_response(status::ok, body.dump());
               });

    // HEAD /internal/domains/{name}: whether a domain is registered (legacy JWT check).
    services::DomainDirectory domains(ctx.blocking, ctx.domains);
    router.add(verb::head, "/internal/domains/{name}",
               [domains](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   auto name = identity::normalize_domain(route.params.at("name"));
                   bool exists = name && co_await domains.exists(*name);
                   co_return http::make_response(exists ? status::no_content : status::not_found,
                                                 "", "");
               });
}

}  // namespace twake::api
