// /registeredUsers (docs/webadmin.md §7) and /domains/{domain}/registeredUsers (§7.1): the
// OpenPaaS user documents of MongoDB (docs/reference/mongodb.md §4), the add-missing-fields
// task and, with LDAP, the import of the directory's users (docs/webadmin.md §7.3).

#include <charconv>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "shared/identity/address.hpp"
#include "shared/json/json.hpp"
#include "worker/services/domain_directory.hpp"
#include "worker/services/registered_users.hpp"
#include "worker/tasks/add_missing_fields_task.hpp"
#include "worker/tasks/import_ldap_users_task.hpp"
#include "worker/webadmin/route_refusal.hpp"
#include "worker/webadmin/routes.hpp"
#include "worker/webadmin/task_started.hpp"
#include "worker/webadmin/webadmin_error.hpp"

namespace twake::webadmin {

namespace {

using http::beast_http::status;
using http::beast_http::verb;

constexpr std::string_view kInvalidJson = "JSON payload of the request is not valid";
constexpr std::string_view kInvalidArguments = "Invalid arguments supplied in the user request";
constexpr std::string_view kUserDoesNotExist = "User does not exist";

// What the handlers use: services over objects that live in main, beyond the router.
struct Backend {
    services::RegisteredUsers users;
    services::DomainDirectory domains;
    WebadminContext& ctx;  // for the tasks: the pool, the stores, the manager, the directory
};

// A POST or PATCH body that passed the JSON checks: `email` is a non-empty string, the names
// are strings or absent (null counts as absent).
struct UserBody {
    std::string email;
    std::optional<std::string> firstname;
    std::optional<std::string> lastname;
};

RouteRefusal invalid_json(std::string details) {
    return RouteRefusal(400, error_type::kInvalidArgument, std::string(kInvalidJson),
                        std::move(details));
}

RouteRefusal invalid_arguments(std::string details) {
    return RouteRefusal(400, error_type::kInvalidArgument, std::string(kInvalidArguments),
                        std::move(details));
}

RouteRefusal user_does_not_exist() {
    return RouteRefusal(404, error_type::kNotFound, std::string(kUserDoesNotExist));
}

std::optional<std::string> optional_string(const cJSON* member, const char* name) {
    if (member == nullptr || cJSON_IsNull(member)) {
        return std::nullopt;
    }
    if (!cJSON_IsString(member)) {
        throw invalid_json(std::string("'") + name + "' must be a string");
    }
    return std::string(member->valuestring);
}

// {"email", "firstname", "lastname", "id"} (`id` ignored); strict JSON: any other member, a
// wrong type, trailing text or a missing `email` is refused as James's JSON extractor does.
UserBody parse_user_body(const std::string& text) {
    const char* end = nullptr;
    json::Json doc(text.find('\0') == std::string::npos
                       ? cJSON_ParseWithLengthOpts(text.c_str(), text.size() + 1, &end, true)
                       : nullptr);
    if (!doc || !cJSON_IsObject(doc.get())) {
        throw invalid_json("the body is not a JSON object");
    }
    UserBody body;
    std::optional<std::string> email;
    for (const cJSON* member = doc.get()->child; member != nullptr; member = member->next) {
        std::string_view name = member->string != nullptr ? member->string : "";
        if (name == "email") {
            email = optional_string(member, "email");
        } else if (name == "firstname") {
            body.firstname = optional_string(member, "firstname");
        } else if (name == "lastname") {
            body.lastname = optional_string(member, "lastname");
        } else if (name == "id") {
            optional_string(member, "id");  // ignored on input
        } else {
            throw invalid_json("unknown property '" + std::string(name) + "'");
        }
    }
    if (!email || email->empty()) {
        throw invalid_json("'email' is missing");
    }
    body.email = *email;
    return body;
}

// Both names present and non-empty (docs/webadmin.md §7).
void require_names(const UserBody& body) {
    if (!body.firstname || body.firstname->empty()) {
        throw invalid_arguments("'firstname' is missing or empty");
    }
    if (!body.lastname || body.lastname->empty()) {
        throw invalid_arguments("'lastname' is missing or empty");
    }
}

// The body's address, normalised; 400 when it is not one (upstream fails later with a 500).
identity::Address body_address(const UserBody& body) {
    auto address = identity::parse_address(body.email);
    if (!address) {
        throw invalid_arguments("'" + body.email + "' is not an e-mail address");
    }
    return *address;
}

// Empty or absent counts as absent.
std::optional<std::string> query_param(const http::RouteContext& route, const char* name) {
    auto value = route.target.param(name);
    if (!value || value->empty()) {
        return std::nullopt;
    }
    return value;
}

// HEAD takes exactly one of `email` and `id`.
struct HeadQuery {
    std::optional<std::string> email;
    std::optional<std::string> id;
};

HeadQuery head_query(const http::RouteContext& route) {
    HeadQuery q{query_param(route, "email"), query_param(route, "id")};
    if (q.email.has_value() == q.id.has_value()) {
        throw invalid_arguments("exactly one of the 'email' and 'id' query parameters is needed");
    }
    return q;
}

std::string missing_email_or_blank(const http::RouteContext& route) {
    auto email = route.target.param("email");
    if (!email || email->find_first_not_of(" \t") == std::string::npos) {
        throw RouteRefusal(400, error_type::kInvalidArgument, "Missing 'email' query parameter");
    }
    return *email;
}

std::string required_id(const http::RouteContext& route) {
    auto id = query_param(route, "id");
    if (!id) {
        throw RouteRefusal(400, error_type::kInvalidArgument, "Missing 'id' query parameter");
    }
    return *id;
}

json::Json user_json(const store::User& user) {
    json::Json o = json::Json::object();
    o.set("email", user.email);
    o.set("firstname", user.firstname);
    o.set("lastname", user.lastname);
    o.set("id", user.id);
    return o;
}

http::Response json_response(status code, const json::Json& body) {
    return http::make_response(code, http::kJson, body.dump());
}

http::Response empty(status code) {
    return http::make_response(code, http::kJson, "");
}

// The {domain} of the path: a valid name (else 400) of a registered domain (else 404).
http::Awaitable<store::Domain> path_domain(const Backend& b, const http::RouteContext& route) {
    const std::string& raw = route.params.at("domain");
    auto name = identity::normalize_domain(raw);
    if (!name) {
        throw RouteRefusal(400, error_type::kInvalidArgument, "Invalid domain: " + raw);
    }
    auto domain = co_await b.domains.find_by_name(*name);
    if (!domain) {
        throw RouteRefusal(404, error_type::kNotFound, "Domain not found: " + raw);
    }
    co_return std::move(*domain);
}

services::UserChange user_change(const identity::Address& address, const UserBody& body) {
    return services::UserChange{address.full(), *body.firstname, *body.lastname};
}

// Creates the user; DomainNotFound → 404 and UserConflict → 409, both InvalidArgument as
// upstream answers them.
http::Awaitable<void> add_user(const Backend& b, const identity::Address& address,
                               const UserBody& body) {
    try {
        co_await b.users.add(user_change(address, body));
    } catch (const store::DomainNotFound& e) {
        throw RouteRefusal(404, error_type::kInvalidArgument, e.what());
    } catch (const store::UserConflict& e) {
        throw RouteRefusal(409, error_type::kInvalidArgument, e.what());
    }
}

// The careful update; `domain` (when set) restricts it to a user of that domain. An unknown
// user answers 404 of `unknown_type`.
http::Awaitable<void> update_user(const Backend& b, const std::string& id,
                                  const identity::Address& address, const UserBody& body,
                                  const std::optional<std::string>& domain,
                                  std::string_view unknown_type) {
    try {
        co_await b.users.update(id, user_change(address, body), domain);
    } catch (const store::UserNotFound& e) {
        throw RouteRefusal(404, unknown_type, e.what());
    } catch (const store::DomainNotFound& e) {
        throw RouteRefusal(404, error_type::kInvalidArgument, e.what());
    } catch (const store::UserConflict& e) {
        throw RouteRefusal(409, error_type::kInvalidArgument, e.what());
    }
}

http::Response users_json(const std::vector<store::User>& users) {
    json::Json list = json::Json::array();
    for (const auto& user : users) {
        list.push(user_json(user));
    }
    return json_response(status::ok, list);
}

http::Response start_add_missing_fields(const Backend& b, const std::string& action) {
    if (action != "addMissingFields") {
        throw RouteRefusal(
            400, error_type::kInvalidArgument,
            "Invalid action: '" + action + "'. Supported actions are: addMissingFields");
    }
    return task_started(b.ctx.tasks.submit(
        std::make_unique<tasks::AddMissingFieldsTask>(b.ctx.blocking, b.ctx.users)));
}

// POST /registeredUsers/tasks?task=importFromLDAP[&usersPerSecond=100] (docs/webadmin.md §7.3).
http::Response start_ldap_import(const Backend& b, const http::Target& target) {
    std::string task = target.param("task").value_or("");
    if (task != "importFromLDAP") {
        throw RouteRefusal(400, error_type::kInvalidArgument,
                           "Invalid task: '" + task + "'. Supported tasks are: importFromLDAP");
    }
    int per_second = 100;
    if (auto value = target.param("usersPerSecond")) {
        auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), per_second);
        if (ec != std::errc() || end != value->data() + value->size() || per_second < 1) {
            throw RouteRefusal(400, error_type::kInvalidArgument,
                               "Illegal value supplied for query parameter 'usersPerSecond', "
                               "expecting a strictly positive optional integer");
        }
    }
    return task_started(b.ctx.tasks.submit(std::make_unique<tasks::ImportLdapUsersTask>(
        b.ctx.blocking, *b.ctx.directory, b.ctx.users, per_second)));
}

void add_global_routes(http::Router& router, const Backend& b) {
    if (b.ctx.directory !=
        nullptr) {  // without LDAP the route does not exist (docs/webadmin.md §7)
        router.add(verb::post, "/registeredUsers/tasks",
                   [b](http::RouteContext& route) -> http::Awaitable<http::Response> {
                       co_return start_ldap_import(b, route.target);
                   });
    }
    router.add(verb::get, "/registeredUsers",
               [b](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   if (auto email = route.target.param("email")) {
                       auto address = identity::parse_address(*email);
                       if (!address) {
                           throw invalid_arguments("'" + *email + "' is not an e-mail address");
                       }
                       auto user = co_await b.users.find_by_email(address->full());
                       if (!user) {
                           throw user_does_not_exist();
                       }
                       co_return json_response(status::ok, user_json(*user));
                   }
                   co_return users_json(co_await b.users.list());
               });

    router.add(verb::post, "/registeredUsers",
               [b](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   if (auto action = route.target.param("action")) {
                       co_return start_add_missing_fields(b, *action);
                   }
                   UserBody body = parse_user_body(route.request.body());
                   require_names(body);
                   identity::Address address = body_address(body);
                   co_await add_user(b, address, body);
                   co_return empty(status::created);
               });

    router.add(verb::head, "/registeredUsers",
               [b](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   HeadQuery q = head_query(route);
                   std::optional<store::User> user;
                   if (q.email) {
                       if (auto address = identity::parse_address(*q.email)) {
                           user = co_await b.users.find_by_email(address->full());
                       }
                   } else {
                       user = co_await b.users.find_by_id(*q.id);  // a malformed id: not found
                   }
                   co_return empty(user ? status::ok : status::not_found);
               });

    router.add(verb::patch, "/registeredUsers",
               [b](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   UserBody body = parse_user_body(route.request.body());
                   std::string id = required_id(route);
                   require_names(body);
                   identity::Address address = body_address(body);
                   co_await update_user(b, id, address, body, std::nullopt,
                                        error_type::kInvalidArgument);
                   co_return empty(status::no_content);
               });

    router.add(verb::delete_, "/registeredUsers",
               [b](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   std::string email = missing_email_or_blank(route);
                   auto address = identity::parse_address(email);
                   if (!address) {
                       throw invalid_arguments("'" + email + "' is not an e-mail address");
                   }
                   if (!co_await b.users.remove(address->full())) {
                       throw user_does_not_exist();
                   }
                   co_return empty(status::no_content);
               });
}

void add_domain_scoped_routes(http::Router& router, const Backend& b) {
    const std::string path = "/domains/{domain}/registeredUsers";

    router.add(verb::get, path, [b](http::RouteContext& route) -> http::Awaitable<http::Response> {
        store::Domain domain = co_await path_domain(b, route);
        if (auto email = route.target.param("email")) {
            auto address = identity::parse_address(*email);
            if (!address || address->domain != domain.name) {
                throw user_does_not_exist();
            }
            auto user = co_await b.users.find_by_email(address->full());
            if (!user) {
                throw user_does_not_exist();
            }
            co_return json_response(status::ok, user_json(*user));
        }
        co_return users_json(co_await b.users.list_by_domain(domain.id));
    });

    router.add(verb::post, path, [b](http::RouteContext& route) -> http::Awaitable<http::Response> {
        store::Domain domain = co_await path_domain(b, route);
        UserBody body = parse_user_body(route.request.body());
        require_names(body);
        identity::Address address = body_address(body);
        if (address.domain != domain.name) {
            throw RouteRefusal(400, error_type::kInvalidArgument,
                               "Email domain must match URL domain: " + domain.name);
        }
        co_await add_user(b, address, body);
        co_return empty(status::created);
    });

    router.add(verb::head, path, [b](http::RouteContext& route) -> http::Awaitable<http::Response> {
        store::Domain domain = co_await path_domain(b, route);
        HeadQuery q = head_query(route);
        std::optional<store::User> user;
        if (q.email) {
            auto address = identity::parse_address(*q.email);
            if (address && address->domain == domain.name) {
                user = co_await b.users.find_by_email(address->full());
            }
        } else {
            user = co_await b.users.find_by_id(*q.id);
        }
        bool found = user && services::in_domain(user->email, domain.name);
        co_return empty(found ? status::ok : status::not_found);
    });

    router.add(verb::patch, path,
               [b](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   store::Domain domain = co_await path_domain(b, route);
                   std::string id = required_id(route);
                   UserBody body = parse_user_body(route.request.body());
                   require_names(body);
                   identity::Address address = body_address(body);
                   if (address.domain != domain.name) {
                       throw RouteRefusal(400, error_type::kInvalidArgument,
                                          "Email domain must match URL domain: " + domain.name);
                   }
                   co_await update_user(b, id, address, body, domain.name, error_type::kNotFound);
                   co_return empty(status::no_content);
               });

    router.add(verb::delete_, path,
               [b](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   store::Domain domain = co_await path_domain(b, route);
                   std::string email = missing_email_or_blank(route);
                   auto address = identity::parse_address(email);
                   if (!address || address->domain != domain.name) {
                       throw user_does_not_exist();
                   }
                   if (!co_await b.users.remove(address->full())) {
                       throw user_does_not_exist();
                   }
                   co_return empty(status::no_content);
               });
}

}  // namespace

void add_registered_user_routes(http::Router& router, WebadminContext& ctx) {
    Backend backend{services::RegisteredUsers(ctx.blocking, ctx.users),
                    services::DomainDirectory(ctx.blocking, ctx.domains), ctx};
    add_global_routes(router, backend);
    add_domain_scoped_routes(router, backend);
}

}  // namespace twake::webadmin
