// The domain routes of docs/webadmin.md: domains (§2.1), domain administrators (§2.2) and domain
// settings (§2.3).

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "shared/identity/address.hpp"
#include "shared/json/json.hpp"
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

// §2.1 and §2.2 word an invalid domain as James's domain routes do.
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

http::Awaitable<std::optional<store::Domain>> find_domain(WebadminContext& ctx,
                                                          const std::string& name) {
    auto* domains = &ctx.domains;
    auto load = [domains, name] { return domains->find_by_name(name); };
    co_return co_await ctx.blocking.run(load, kStoreDeadline);
}

// ---- §2.1 domains -------------------------------------------------------------------------

void add_domain_list_routes(http::Router& router, WebadminContext& ctx) {
    router.add(verb::get, "/domains",
               [&ctx](http::RouteContext&) -> http::Awaitable<http::Response> {
                   auto* domains = &ctx.domains;
                   auto load = [domains] {
                       std::vector<std::string> names;
                       for (const auto& d : domains->list()) {
                           names.push_back(d.name);
                       }
                       return names;
                   };
                   auto names = co_await ctx.blocking.run(load, kStoreDeadline);
                   json::Json body = json::Json::array();
                   for (const auto& n : names) {
                       body.push(n);
                   }
                   co_return json_ok(body);
               });

    router.add(verb::get, "/domains/{domain}",
               [&ctx](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   std::string name = domain_param(route, kInvalidDomainCreation);
                   if (!co_await find_domain(ctx, name)) {
                       throw domain_list_lacks(name);
                   }
                   co_return no_content();
               });

    // Idempotent: an existing domain is a success (upstream answers 500, docs/webadmin.md §2.1).
    router.add(verb::put, "/domains/{domain}",
               [&ctx](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   std::string name = domain_param(route, kInvalidDomainCreation);
                   auto* domains = &ctx.domains;
                   auto create = [domains, name] { return domains->add(name); };
                   co_await ctx.blocking.run(create, kStoreDeadline);
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
    // none: the in-process credential store (§4) only serves tests and development.
    router.add(verb::get, "/domains/{domain}/users",
               [&ctx](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   std::string name = domain_param(route, kInvalidDomainCreation);
                   if (!co_await find_domain(ctx, name)) {
                       throw domain_list_lacks(name);
                   }
                   std::vector<std::string> usernames;
                   if (ctx.directory != nullptr) {
                       auto* directory = ctx.directory;
                       auto list = [directory, name] {
                           return directory->usernames_in_domain(name);
                       };
                       usernames = co_await ctx.blocking.run(list, kStoreDeadline);
                   }
                   json::Json body = json::Json::array();
                   for (const auto& u : usernames) {
                       body.push(u);
                   }
                   co_return json_ok(body);
               });
}

// ---- §2.2 domain administrators -----------------------------------------------------------

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

enum class AdminChange { Done, NoDomain, NoUser };

void add_admin_routes(http::Router& router, WebadminContext& ctx) {
    router.add(verb::get, "/domains/{domain}/admins",
               [&ctx](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   std::string name = domain_param(route, kInvalidDomainCreation);
                   auto* domains = &ctx.domains;
                   auto* users = &ctx.users;
                   auto load = [domains, users, name]() -> std::optional<std::vector<std::string>> {
                       auto domain = domains->find_by_name(name);
                       if (!domain) {
                           return std::nullopt;
                       }
                       std::vector<std::string> emails;
                       std::set<std::string> seen;
                       for (const auto& admin : domain->administrators) {
                           // Legacy documents may name one user twice (as a string and an id).
                           if (!seen.insert(identity::lower(admin.user_id)).second) {
                               continue;
                           }
                           // Administrators whose user is gone are skipped, as upstream does.
                           auto user = users->find_by_id(admin.user_id);
                           if (user && !user->email.empty()) {
                               emails.push_back(user->email);
                           }
                       }
                       return emails;
                   };
                   auto emails = co_await ctx.blocking.run(load, kStoreDeadline);
                   if (!emails) {
                       throw domain_not_found(route.params.at("domain"));
                   }
                   std::sort(emails->begin(), emails->end(), [](const auto& a, const auto& b) {
                       return identity::lower(a) < identity::lower(b);
                   });
                   emails->erase(std::unique(emails->begin(), emails->end()), emails->end());
                   json::Json body = json::Json::array();
                   for (const auto& e : *emails) {
                       body.push(e);
                   }
                   co_return json_ok(body);
               });

    // PUT grants, DELETE revokes; both idempotent. Checked in upstream's order: the domain's
    // name, its existence, then the username and the user's existence.
    for (verb method : {verb::put, verb::delete_}) {
        router.add(method, "/domains/{domain}/admins/{username}",

                   [&ctx, method](http::RouteContext& route) -> http::Awaitable<http::Response> {
                       std::string name = domain_param(route, kInvalidDomainCreation);
                       auto domain = co_await find_domain(ctx, name);
                       if (!domain) {
                           throw domain_not_found(route.params.at("domain"));
                       }
                       identity::Address admin = admin_param(route);
                       std::string email = admin.full();
                       std::string domain_id = domain->id;
                       bool grant = method == verb::put;
                       auto* domains = &ctx.domains;
                       auto* users = &ctx.users;
                       auto change = [domains, users, domain_id, email, grant] {
                           auto user = users->find_by_email(email);
                           if (!user) {
                               return AdminChange::NoUser;
                           }
                           bool found = grant ? domains->add_administrator(domain_id, user->id)
                                              : domains->revoke_administrator(domain_id, user->id);
                           return found ? AdminChange::Done : AdminChange::NoDomain;
                       };
                       switch (co_await ctx.blocking.run(change, kStoreDeadline)) {
                           case AdminChange::NoUser:
                               throw RouteRefusal(404, error_type::kNotFound,
                                                  "Admin username not found: " + email);
                           case AdminChange::NoDomain:
                               throw domain_not_found(route.params.at("domain"));
                           case AdminChange::Done:
                               break;
                       }
                       co_return no_content();
                   });
    }
}

// ---- §2.3 domain settings -----------------------------------------------------------------

struct SettingsRead {
    bool domain_found = false;
    settings::DomainSettings stored;
};

void add_settings_routes(http::Router& router, WebadminContext& ctx) {
    router.add(verb::get, "/domains/{domain}/settings",
               [&ctx](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   std::string name = domain_param(route, kInvalidDomain);
                   auto* domains = &ctx.domains;
                   auto* store = &ctx.domain_settings;
                   auto load = [domains, store, name] {
                       SettingsRead read;
                       read.domain_found = domains->find_by_name(name).has_value();
                       if (read.domain_found) {
                           read.stored = store->find(name);
                       }
                       return read;
                   };
                   SettingsRead read = co_await ctx.blocking.run(load, kStoreDeadline);
                   if (!read.domain_found) {
                       throw domain_not_found(route.params.at("domain"));
                   }
                   json::Json body = settings::to_json(read.stored);
                   body.set("resolved",
                            settings::to_json(settings::resolve(read.stored, name, ctx.config)));
                   co_return json_ok(body);
               });

    // The body is parsed before the domain is looked up (one storage round trip), but the
    // domain's absence is reported first, as upstream checks it first.
    router.add(verb::put, "/domains/{domain}/settings",
               [&ctx](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   std::string name = domain_param(route, kInvalidDomain);
                   std::optional<settings::DomainSettings> values;
                   std::optional<settings::SettingsBodyError> refused;
                   try {
                       values = settings::parse_settings_replacement(route.request.body());
                   } catch (const settings::SettingsBodyError& e) {
                       refused = e;
                   }
                   auto* domains = &ctx.domains;
                   auto* store = &ctx.domain_settings;
                   auto save = [domains, store, name, values] {
                       if (!domains->find_by_name(name)) {
                           return false;
                       }
                       if (values) {
                           store->save(name, *values);
                       }
                       return true;
                   };
                   if (!co_await ctx.blocking.run(save, kStoreDeadline)) {
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
               [&ctx](http::RouteContext& route) -> http::Awaitable<http::Response> {
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
                   auto* domains = &ctx.domains;
                   auto* store = &ctx.domain_settings;
                   auto apply = [domains, store, name, patch] {
                       if (!domains->find_by_name(name)) {
                           return false;
                       }
                       if (patch) {
                           store->patch(name, *patch);
                       }
                       return true;
                   };
                   if (!co_await ctx.blocking.run(apply, kStoreDeadline)) {
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
