// /users: credential users (docs/webadmin.md §4), LDAP (read-only) or in memory
// (credential_users.hpp). Usernames follow docs/webadmin.md §1.1; passwords are never logged
// (webadmin_log.hpp redacts them from the request log).

#include "shared/identity/address.hpp"
#include "shared/json/json.hpp"
#include "shared/log/log.hpp"
#include "worker/services/credential_accounts.hpp"
#include "worker/services/domain_directory.hpp"
#include "worker/credentials/credential_users.hpp"
#include "worker/webadmin/route_refusal.hpp"
#include "worker/webadmin/routes.hpp"
#include "worker/webadmin/webadmin_error.hpp"

namespace twake::webadmin {

namespace {

using http::beast_http::status;
using http::beast_http::verb;

const log::Logger kLog("worker.webadmin.users");

constexpr std::string_view kGenericInvalid = "Invalid arguments supplied in the user request";
constexpr std::string_view kInvalidJson = "JSON payload of the request is not valid";
constexpr std::string_view kInvalidUsername = "Username supplied is invalid";
// What the handlers use: services over objects that live in main, beyond the router, and the
// credential store they share with the calls still on the blocking pool.
struct Backend {
    services::CredentialAccounts users;
    services::DomainDirectory domains;
};

using UsersHandler =
    std::function<http::Awaitable<http::Response>(const Backend&, http::RouteContext&)>;

// Binds the backend (LDAP or the in-memory store) to a handler; failures are answered at the
// listener's boundary (error_answer: unreachable LDAP or store → 503).
http::Handler handler(Backend backend, UsersHandler fn) {
    return [backend, fn](http::RouteContext& route) -> http::Awaitable<http::Response> {
        co_return co_await fn(backend, route);
    };
}

http::Response no_content() {
    return http::make_response(status::no_content, http::kJson, "");
}

// The {username} of the path (local part as given, domain lower-cased).
identity::Address username_param(const http::RouteContext& route, std::string_view message) {
    const std::string& raw = route.params.at("username");
    auto address = identity::parse_credential_username(raw);
    if (!address) {
        throw RouteRefusal(400, error_type::kInvalidArgument, std::string(message),
                           "'" + raw +
                               "' is not a username: expected local-part@domain, the local part "
                               "without any of \"(),:; <>@[\\]");
    }
    return *address;
}

// `{"password":"..."}`, strictly: no other member, a string value.
std::string password_of(const std::string& body) {
    auto parsed = json::Json::parse(body);
    if (!parsed || !cJSON_IsObject(parsed->get())) {
        throw RouteRefusal(400, error_type::kInvalidArgument, std::string(kInvalidJson),
                           "expected a JSON object {\"password\":\"...\"}");
    }
    for (const cJSON* member = parsed->get()->child; member != nullptr; member = member->next) {
        if (member->string == nullptr || std::string_view(member->string) != "password") {
            throw RouteRefusal(400, error_type::kInvalidArgument, std::string(kInvalidJson),
                               std::string("Unrecognized field \"") +
                                   (member->string ? member->string : "") + "\"");
        }
    }
    auto password = json::string_member(parsed->get(), "password");
    if (!password) {
        throw RouteRefusal(400, error_type::kInvalidArgument, std::string(kInvalidJson),
                           "'password' is mandatory and must be a string");
    }
    return *password;
}

http::Awaitable<http::Response> list_users(const Backend& backend, http::RouteContext&) {
    auto names = co_await backend.users.list();
    json::Json body = json::Json::array();
    for (const auto& name : names) {
        json::Json entry = json::Json::object();
        entry.set("username", name);
        body.push(std::move(entry));
    }
    co_return http::make_response(status::ok, http::kJson, body.dump());
}

http::Awaitable<http::Response> user_exists(const Backend& backend, http::RouteContext& route) {
    std::string username = username_param(route, kGenericInvalid).full();
    if (co_await backend.users.exists(username)) {
        co_return http::make_response(status::ok, http::kJson, "");
    }
    co_return error_response(404, error_type::kNotFound, "User does not exist");
}

http::Awaitable<http::Response> put_user(const Backend& backend, http::RouteContext& route) {
    identity::Address address = username_param(route, kInvalidUsername);
    std::string username = address.full();
    std::string password = password_of(route.request.body());
    if (!backend.users.writable()) {
        // Upstream answers 500 "Error while upserting user"; the cause is known, say it.
        throw RouteRefusal(
            409, error_type::kWrongState,
            "User '" + username +
                "' cannot be created or updated: credential users come from the LDAP "
                "directory, which is read-only here");
    }
    if (!co_await backend.domains.exists(address.domain)) {
        throw RouteRefusal(400, error_type::kInvalidArgument, std::string(kInvalidUsername),
                           "Domain does not exist: " + address.domain);
    }
    bool force = route.target.has("force");
    auto outcome = co_await backend.users.put(username, password, force);
    if (outcome == credentials::CredentialUsers::PutOutcome::AlreadyExists) {
        throw RouteRefusal(409, error_type::kWrongState, "User '" + username + "' already exists");
    }
    kLog.info(outcome == credentials::CredentialUsers::PutOutcome::Created
                  ? "Credential user created"
                  : "Credential user password changed",
              {{"username", username}});
    co_return no_content();
}

http::Awaitable<http::Response> delete_user(const Backend& backend, http::RouteContext& route) {
    std::string username = username_param(route, kGenericInvalid).full();
    if (!backend.users.writable()) {
        // James's quirk kept: 204 although nothing is removed from the directory.
        kLog.info("Credential user not removed: the LDAP directory is read-only",
                  {{"username", username}});
        co_return no_content();
    }
    co_await backend.users.remove(username);
    co_return no_content();
}

http::Awaitable<http::Response> verify_user(const Backend& backend, http::RouteContext& route) {
    std::string username = username_param(route, kGenericInvalid).full();
    std::string password = password_of(route.request.body());
    if (co_await backend.users.verify(username, password)) {
        co_return no_content();
    }
    co_return http::make_response(status::unauthorized, http::kJson, "");
}

}  // namespace

void add_credential_user_routes(http::Router& router, WebadminContext& ctx) {
    Backend backend{services::CredentialAccounts(ctx.blocking,
                                                 credentials::make_credential_users(ctx.directory)),
                    services::DomainDirectory(ctx.blocking, ctx.domains)};
    router.add(verb::get, "/users", handler(backend, list_users));
    router.add(verb::head, "/users/{username}", handler(backend, user_exists));
    router.add(verb::put, "/users/{username}", handler(backend, put_user));
    router.add(verb::delete_, "/users/{username}", handler(backend, delete_user));
    router.add(verb::post, "/users/{username}/verify", handler(backend, verify_user));
}

}  // namespace twake::webadmin
