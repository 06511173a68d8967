// The domain routes of docs/webadmin.md: domains (§2.1), domain administrators (§2.2) and
// domain settings (§2.3).

#include <optional>
#include <string>
#include <vector>

#include "shared/identity/address.hpp"
#include "shared/json/json.hpp"
#include "worker/services/domain_administration.hpp"
#include "worker/services/domain_directory.hpp"
#include "worker/services/directory_users.hpp"
#include "worker/services/domain_settings_editor.hpp"
#include "worker/settings/domain_settings.hpp"
#include "worker/webadmin/route_refusal.hpp"
#include "worker/webadmin/routes.hpp"
#include "worker/webadmin/webadmin_error.hpp"

namespace twake::webadmin {

namespace {

using http::beast_http::status;
using http::beast_http::verb;

constexpr std::string_view kGenericInvalid = "Invalid arguments supplied in the user request";
constexpr std::string_view kInvalidJson = "JSON payload of the request is not valid";

http::Response no_content() {
    return http::make_response(status::no_content, http::kJson, "");
}

http::Response json_ok(const json::Json& body) {
    return http::make_response(status::ok, http::kJson, body.dump());
}

// The {domain} of the path, lower-cased; a RouteRefusal 400 `<prefix><domain>` when it is not a
// domain name (docs/webadmin.md §1.1).
std::string domain_param(const http::RouteContext& route, std::string_view prefix) {
    const std::string& raw = route.params.at("domain");
    auto name = identity::normalize_domain(raw);
    if (!name) {
        throw RouteRefusal(400, error_type::kInvalidArgument, std::string(prefix) + raw,
                           "'" + raw + "' is not a valid domain name");
    }
    return *name;
}

// docs/webadmin.md §2.1 and §2.2 word an invalid domain as James's domain routes do.
constexpr std::string_view kInvalidDomainCreation = "Invalid request for domain creation ";
// §2.3 words it differently.
constexpr std::string_view kInvalidDomain = "Invalid domain: ";

RouteRefusal domain_list_lacks(const std::string& name) {
    // James's type for this one is InvalidArgument, not notFound (docs/webadmin.md §2.1).
    return RouteRefusal(404, error_type::kInvalidArgument,
                        "The domain list does not contain: " + name);
}

RouteRefusal domain_not_found(const std::string& raw) {
    return RouteRefusal(404, error_type::kNotFound, "Domain not found: " + raw);
}

// ---- §2.1 domains -------------------------------------------------------------------------

void add_domain_list_routes(http::Router& router, WebadminContext& ctx) {
    services::DomainDirectory domains(ctx.blocking, ctx.domains);

    router.add(verb::get, "/domains",
               [domains](http::RouteContext&) -> http::Awaitable<http::Response> {
                   auto names = co_await domains.names();
                   json::Json body = json::Json::array();
                   for (const auto& n : names) {
                       body.push(n);
                   }
                   co_return json_ok(body);
               });

    router.add(verb::get, "/domains/{domain}",
               [domains](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   std::string name = domain_param(route, kInvalidDomainCreation);
                   if (!co_await domains.exists(name)) {
                       throw domain_list_lacks(name);
                   }
                   co_return no_content();
               });

    // Idempotent: an existing domain is a success (upstream answers 500, docs/webadmin.md §2.1).
    router.add(verb::put, "/domains/{domain}",
               [domains](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   std::string name = domain_param(route, kInvalidDomainCreation);
                   co_await domains.create(name);
                   co_return no_content();
               });

    // Removing a domain would orphan its users' data: refused explicitly (docs/webadmin.md §2.1).
    router.add(verb::delete_, "/domains/{domain}",
               [](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   domain_param(route, kInvalidDomainCreation);
                   co_return error_response(501, error_type::kServerError,
                                            "Domain removal is not supported");
               });

    // Credential users: the LDAP entries of the domain. Without LDAP an existing domain lists
    // none: the in-process credential store (docs/webadmin.md §4) only serves tests and
    // development.
    services::DirectoryUsers directory(ctx.blocking, ctx.directory);
    router.add(verb::get, "/domains/{domain}/users",
               [domains, directory](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   std::string name = domain_param(route, kInvalidDomainCreation);
                   if (!co_await domains.exists(name)) {
                       throw domain_list_lacks(name);
                   }
                   auto usernames = co_await directory.in_domain(name);
                   json::Json body = json::Json::array();
                   for (const auto& u : usernames) {
                       body.push(u);
                   }
                   co_return json_ok(body);
               });
}

// ---- docs/webadmin.md §2.2 domain administrators
// -----------------------------------------------------------

// The {username} of the path as an address; a RouteRefusal 400 otherwise. Upstream lets an address
// without '@' reach MongoDB and answers 500 (docs/webadmin.md §1.1).
identity::Address admin_param(const http::RouteContext& route) {
    const std::string& raw = route.params.at("username");
    if (raw.find_first_not_of(" \t\r\n") == std::string::npos) {
        throw RouteRefusal(400, error_type::kInvalidArgument, std::string(kGenericInvalid),
                           "Username must not be blank");
    }
    auto address = identity::parse_address(raw);
    if (!address) {
        throw RouteRefusal(400, error_type::kInvalidArgument, std::string(kGenericInvalid),
                           "'" + raw + "' is not a valid username (an e-mail address)");
    }
    return *address;
}

void add_admin_routes(http::Router& router, WebadminContext& ctx) {
    services::DomainDirectory domains(ctx.blocking, ctx.domains);
    services::DomainAdministration administration(ctx.blocking, ctx.domains, ctx.users);

    router.add(verb::get, "/domains/{domain}/admins",
               [administration](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   std::string name = domain_param(route, kInvalidDomainCreation);
                   auto emails = co_await administration.administrators(name);
                   if (!emails) {
                       throw domain_not_found(route.params.at("domain"));
                   }
                   json::Json body = json::Json::array();
                   for (const auto& e : *emails) {
                       body.push(e);
                   }
                   co_return json_ok(body);
               });

    // PUT grants, DELETE revokes; both idempotent. Checked in upstream's order: the domain's
    // name, its existence, then the username and the user's existence.
    for (verb method : {verb::put, verb::delete_}) {
        router.add(
            method, "/domains/{domain}/admins/{username}",

            [domains, administration,
             method](http::RouteContext& route) -> http::Awaitable<http::Response> {
                std::string name = domain_param(route, kInvalidDomainCreation);
                auto domain = co_await domains.find_by_name(name);
                if (!domain) {
                    throw domain_not_found(route.params.at("domain"));
                }
                identity::Address admin = admin_param(route);
                std::string email = admin.full();
                switch (co_await administration.change(domain->id, email, method == verb::put)) {
                    case services::AdminChange::NoUser:
                        throw RouteRefusal(404, error_type::kNotFound,
                                           "Admin username not found: " + email);
                    case services::AdminChange::NoDomain:
                        throw domain_not_found(route.params.at("domain"));
                    case services::AdminChange::Done:
                        break;
                }
                co_return no_content();
            });
    }
}

// ---- docs/webadmin.md §2.3 domain settings
// -----------------------------------------------------------------

void add_settings_routes(http::Router& router, WebadminContext& ctx) {
    services::DomainSettingsEditor editor(ctx.blocking, ctx.domains, ctx.domain_settings);

    router.add(verb::get, "/domains/{domain}/settings",
               [&ctx, editor](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   std::string name = domain_param(route, kInvalidDomain);
                   auto stored = co_await editor.stored_if_registered(name);
                   if (!stored) {
                       throw domain_not_found(route.params.at("domain"));
                   }
                   json::Json body = settings::to_json(*stored);
                   body.set("resolved",
                            settings::to_json(settings::resolve(*stored, name, ctx.config)));
                   co_return json_ok(body);
               });

    // The body is parsed before the domain is looked up (one storage round trip), but the
    // domain's absence is reported first, as upstream checks it first.
    router.add(verb::put, "/domains/{domain}/settings",
               [editor](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   std::string name = domain_param(route, kInvalidDomain);
                   std::optional<settings::DomainSettings> values;
                   std::optional<settings::SettingsBodyError> refused;
                   try {
                       values = settings::parse_settings_replacement(route.request.body());
                   } catch (const settings::SettingsBodyError& e) {
                       refused = e;
                   }
                   if (!co_await editor.replace(name, values)) {
                       throw domain_not_found(route.params.at("domain"));
                   }
                   if (refused) {
                       if (refused->kind() == settings::SettingsBodyError::Kind::UnknownValue) {
                           throw RouteRefusal(400, error_type::kInvalidArgument,
                                              std::string(kGenericInvalid), refused->what());
                       }
                       throw RouteRefusal(400, error_type::kInvalidArgument,
                                          std::string(kInvalidJson), refused->what());
                   }
                   co_return no_content();
               });

    router.add(verb::patch, "/domains/{domain}/settings",
               [editor](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   std::string name = domain_param(route, kInvalidDomain);
                   const std::string& text = route.request.body();
                   std::optional<settings::DomainSettingsPatch> patch;
                   std::optional<settings::SettingsBodyError> refused;
                   if (!text.empty()) {
                       try {
                           patch = settings::parse_settings_patch(text);
                       } catch (const settings::SettingsBodyError& e) {
                           refused = e;
                       }
                   }
                   if (!co_await editor.patch(name, patch)) {
                       throw domain_not_found(route.params.at("domain"));
                   }
                   if (text.empty()) {
                       throw RouteRefusal(400, error_type::kInvalidArgument,
                                          "Request body is required");
                   }
                   if (refused) {
                       // PATCH words its refusals itself (docs/webadmin.md §2.3).
                       if (refused->kind() == settings::SettingsBodyError::Kind::UnknownValue) {
                           throw RouteRefusal(400, error_type::kInvalidArgument, refused->what());
                       }
                       throw RouteRefusal(400, error_type::kInvalidArgument, "Invalid request body",
                                          refused->what());
                   }
                   co_return no_content();
               });
}

}  // namespace

void add_domain_routes(http::Router& router, WebadminContext& ctx) {
    add_domain_list_routes(router, ctx);
    add_admin_routes(router, ctx);
    add_settings_routes(router, ctx);
}

}  // namespace twake::webadmin
