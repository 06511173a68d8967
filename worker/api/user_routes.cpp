// The user routes of docs/reference/rest-api.md §4.2–4.6.

#include "shared/identity/address.hpp"
#include "shared/json/json.hpp"
#include "worker/api/caller.hpp"
#include "worker/api/openpaas_json.hpp"
#include "worker/api/rest_error.hpp"
#include "worker/api/routes.hpp"
#include "worker/avatar/avatar_url.hpp"
#include "worker/services/user_profiles.hpp"
#include "worker/settings/user_settings.hpp"

namespace twake::api {

namespace {

using http::beast_http::field;
using http::beast_http::status;
using http::beast_http::verb;

std::string domain_of(const std::string& email) {
    auto address = identity::parse_address(email);
    return address ? address->domain : "";
}

http::Response cached(http::Response response, const char* cache_control) {
    response.set(field::cache_control, cache_control);
    return response;
}

}  // namespace

void add_user_routes(http::Router& router, ApiContext& ctx) {
    services::UserProfiles profiles(ctx.blocking, ctx.users, ctx.domains, ctx.configurations,
                                    ctx.provisioning, ctx.directory);

    // GET /api/user: the caller's profile and every setting of the key table.
    router.add(
        verb::get, "/api/user",
        [&ctx, profiles](http::RouteContext& route) -> http::Awaitable<http::Response> {
            Caller caller = require_caller(route.request);
            auto view = co_await profiles.by_email(caller.email);
            if (!view) {
                throw not_found("User not found");
            }
            settings::UserSettings settings(ctx.config, view->stored_settings.get());
            json::Json o = user_json(view->user, view->domain_id, settings.timezone());
            cJSON_DeleteItemFromObjectCaseSensitive(o.get(), "timezone");
            o.set("id", view->user.id);
            json::Json account = json::Json::object();
            account.set("hosted", true);
            account.set("preferredEmailIndex", 0);
            account.set("type", "email");
            json::Json created = json::Json::object();
            created.set("creation", kFakedTimestamp);
            account.set("timestamps", std::move(created));
            json::Json emails = json::Json::array();
            emails.push(view->user.email);
            account.set("emails", std::move(emails));
            json::Json accounts = json::Json::array();
            accounts.push(std::move(account));
            o.set("accounts", std::move(accounts));
            o.set("isPlatformAdmin", false);
            json::Json login = json::Json::object();
            login.set("success", kFakedTimestamp);
            login.set("failures", json::Json::array());
            o.set("login", std::move(login));
            json::Json configurations = json::Json::object();
            configurations.set("modules", settings.all());
            o.set("configurations", std::move(configurations));
            co_return json_response(status::ok, o.dump());
        },
        "UserProfileRoute");

    // GET /api/users?email=: Twake Mail finds a user's id before touching its DAV data.
    router.add(
        verb::get, "/api/users",
        [&ctx, profiles](http::RouteContext& route) -> http::Awaitable<http::Response> {
            Caller caller = require_caller(route.request);
            auto email = route.target.param("email");
            if (!email) {
                throw bad_request("Request for avatar is missing email query parameter");
            }
            auto address = identity::parse_address(*email);
            if (!address) {
                throw RestError(400, "BadRequest", "Bad Request",
                                "'email' query parameter must contain a domain part");
            }
            if (!caller.may_read(address->domain)) {
                co_return cached(json_response(status::ok, "[]"), "max-age=60, public");
            }
            auto view = co_await profiles.by_email(address->full());
            json::Json list = json::Json::array();
            if (view) {
                settings::UserSettings settings(ctx.config, view->stored_settings.get());
                list.push(user_json(view->user, view->domain_id, settings.timezone()));
            }
            co_return cached(json_response(status::ok, list.dump()), "max-age=60, public");
        },
        "UsersRoute");

    // GET /api/users/{id}
    router.add(
        verb::get, "/api/users/{id}",
        [&ctx, profiles](http::RouteContext& route) -> http::Awaitable<http::Response> {
            Caller caller = require_caller(route.request);
            auto view = co_await profiles.by_id(route.params.at("id"));
            if (!view || !caller.may_read(domain_of(view->user.email))) {
                throw not_found("User not found");
            }
            settings::UserSettings settings(ctx.config, view->stored_settings.get());
            co_return cached(
                json_response(status::ok,
                              user_json(view->user, view->domain_id, settings.timezone()).dump()),
                "max-age=60, public");
        },
        "UserRoute");

    // GET /api/users/{id}/profile/avatar: a redirect to the generated avatar.
    router.add(
        verb::get, "/api/users/{id}/profile/avatar",
        [&ctx, profiles](http::RouteContext& route) -> http::Awaitable<http::Response> {
            Caller caller = require_caller(route.request);
            auto user = co_await profiles.user_by_id(route.params.at("id"));
            if (!user || !caller.may_read(domain_of(user->email))) {
                throw not_found("User not found");
            }
            http::Response r = http::make_response(status::found, "", "");
            r.set(field::location, avatar::avatar_url(ctx.config.self_url, user->email));
            co_return cached(std::move(r), "max-age=1800, public");
        },
        "ProfileAvatarRoute");

    // PUT /api/user/profile: profile edits are not supported (public, always 405).
    router.add(verb::put, "/api/user/profile",
               [](http::RouteContext&) -> http::Awaitable<http::Response> {
                   co_return error_response(405, "MethodNotAllowed", "Method Not Allowed",
                                            "Profile edits are not supported");
               });
}

}  // namespace twake::api
