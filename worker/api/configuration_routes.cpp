// /api/configurations: read (POST), replace (PUT) and merge (PATCH) a user's settings
// (docs/reference/rest-api.md §6).

#include "shared/json/json.hpp"
#include "worker/api/caller.hpp"
#include "worker/api/rest_error.hpp"
#include "worker/api/routes.hpp"
#include "worker/services/user_configurations.hpp"
#include "worker/settings/user_settings.hpp"

namespace twake::api {

namespace {

using http::beast_http::status;
using http::beast_http::verb;

json::Json parse_body(const http::Request& request) {
    auto body = json::Json::parse(request.body());
    if (!body) {
        throw bad_request("Invalid request body");
    }
    return std::move(*body);
}

// The answer to a PUT or PATCH: `saved` is false when the caller has no user document.
http::Response settings_saved(bool saved) {
    if (!saved) {
        throw not_found("User not found");
    }
    return http::make_response(status::no_content, "", "");
}

}  // namespace

void add_configuration_routes(http::Router& router, ApiContext& ctx) {
    services::UserConfigurations configurations(ctx.blocking, ctx.users, ctx.configurations,
                                                ctx.provisioning);

    router.add(
        verb::post, "/api/configurations",
        [&ctx, configurations](http::RouteContext& route) -> http::Awaitable<http::Response> {
            Caller caller = require_caller(route.request);
            auto request = json::Json::parse(route.request.body());
            if (!request || !cJSON_IsArray(request->get())) {
                throw bad_request("Expecting a JSON array");
            }
            json::Json stored = co_await configurations.stored(caller.email);
            settings::UserSettings settings(ctx.config, stored.get());
            json::Json answer = json::Json::array();
            for (const cJSON* m = request->get()->child; m != nullptr; m = m->next) {
                auto module = json::string_member(m, "name");
                const cJSON* keys = cJSON_GetObjectItemCaseSensitive(m, "keys");
                if (!module || !cJSON_IsArray(keys)) {
                    throw bad_request("Each module needs a name and a keys array");
                }
                json::Json entries = json::Json::array();
                for (const cJSON* k = keys->child; k != nullptr; k = k->next) {
                    if (!cJSON_IsString(k)) {
                        throw bad_request("Keys must be strings");
                    }
                    json::Json e = json::Json::object();
                    e.set("name", k->valuestring);
                    e.set("value", settings.value(*module, k->valuestring));
                    entries.push(std::move(e));
                }
                if (cJSON_GetArraySize(entries.get()) == 0) {
                    continue;
                }
                json::Json o = json::Json::object();
                o.set("name", *module);
                o.set("configurations", std::move(entries));
                answer.push(std::move(o));
            }
            co_return json_response(status::ok, answer.dump());
        },
        "ConfigurationRoute");

    router.add(
        verb::put, "/api/configurations",
        [configurations](http::RouteContext& route) -> http::Awaitable<http::Response> {
            Caller caller = require_caller(route.request);
            auto scope = route.target.param("scope");
            if (scope != "user") {
                throw bad_request("Invalid scope parameter, expected 'user', got: " +
                                  scope.value_or("null"));
            }
            auto modules = settings::parse_modules_body(parse_body(route.request).get());
            if (!modules) {
                throw bad_request("Invalid request body");
            }
            auto shared = std::make_shared<const json::Json>(std::move(*modules));
            co_return settings_saved(co_await configurations.save(caller.email, shared, false));
        },
        "UserConfigurationsRoute");

    router.add(
        verb::patch, "/api/configurations",
        [configurations](http::RouteContext& route) -> http::Awaitable<http::Response> {
            Caller caller = require_caller(route.request);
            auto modules = settings::parse_modules_body(parse_body(route.request).get());
            if (!modules) {
                throw bad_request("Invalid request body");
            }
            auto shared = std::make_shared<const json::Json>(std::move(*modules));
            co_return settings_saved(co_await configurations.save(caller.email, shared, true));
        },
        "UserConfigurationPatchRoute");
}

}  // namespace twake::api
