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
#include "worker/runtime/store_call.hpp"
#include "worker/services/domain_directory.hpp"
#include "worker/ldap/ldap_connection.hpp"

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

}  // namespace

void add_internal_routes(http::Router& router, ApiContext& ctx) {
    // POST /internal/provision: the user behind a newly resolved OIDC token must exist in
    // MongoDB before the edge caches the token or impersonates it towards esn-sabre.
    router.add(verb::post, "/internal/provision",
               [&ctx](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   auto address =
                       identity::parse_address(header(route.request, "X-Twake-User").value_or(""));
                   if (!address) {
                       throw bad_request("X-Twake-User must be an e-mail address");
                   }
                   std::string email = address->full();
                   auto given = name_header(route.request, "X-Twake-Given-Name");
                   auto family = name_header(route.request, "X-Twake-Family-Name");
                   auto& provisioning = ctx.provisioning;
                   auto provision = [&provisioning, email, given, family] {
                       try {
                           return std::optional(provisioning.provision(email, given, family));
                       } catch (const store::DomainNotFound&) {
                           return std::optional<provisioning::Provisioned>();
                       }
                   };
                   auto result = co_await runtime::run_store_call(ctx.blocking, provision);
                   if (!result) {
                       kLog.warn("Login refused: the user's domain is not registered",
                                 {{"user", email},
                                  {"domain", address->domain},
                                  {"requestId", request_id(route.request)}});
                       throw forbidden("Domain " + address->domain + " is not registered");
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
               [&ctx](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   auto credentials =
                       identity::parse_basic(header(route.request, "Authorization").value_or(""));
                   if (!credentials || ctx.directory == nullptr) {
                       throw unauthorized(ctx.directory == nullptr ? "No LDAP directory configured"
                                                                   : "Malformed Basic credentials");
                   }
                   auto* directory = ctx.directory;
                   auto& provisioning = ctx.provisioning;
                   std::string login = credentials->login;
                   std::string password = credentials->password;
                   struct Checked {
                       std::optional<std::string> username;
                       bool reachable = true;
                       bool domain_registered = true;
                   };
                   auto check = [directory, &provisioning, login, password] {
                       Checked checked;
                       try {
                           checked.username = directory->authenticate(login, password);
                       } catch (const ldap::LdapError& e) {
                           kLog.error("LDAP directory unavailable for Basic authentication",
                                      {{"error", e.what()}});
                           checked.reachable = false;
                           return checked;
                       }
                       if (checked.username) {
                           try {
                               provisioning.provision(*checked.username, std::nullopt,
                                                      std::nullopt);
                           } catch (const store::DomainNotFound&) {
                               checked.domain_registered = false;
                           }
                       }
                       return checked;
                   };
                   auto checked = co_await runtime::run_store_call(ctx.blocking, check);
                   if (!checked.reachable) {
                       throw service_unavailable("LDAP directory unavailable");
                   }
                   if (!checked.username) {
                       throw unauthorized("Wrong login or password");
                   }
                   const std::string& username = *checked.username;
                   if (!checked.domain_registered) {
                       std::string domain = username.substr(username.find('@') + 1);
                       kLog.warn("Login refused: the user's domain is not registered",
                                 {{"user", username},
                                  {"domain", domain},
                                  {"requestId", request_id(route.request)}});
                       throw forbidden("Domain " + domain + " is not registered");
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
