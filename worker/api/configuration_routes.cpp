// /api/configurations: read (POST), replace (PUT) and merge (PATCH) a user's settings
// (docs/reference/rest-api.md §6).

#include "shared/json/json.hpp"
#include "worker/api/caller.hpp"
#include "worker/api/rest_error.hpp"
#include "worker/api/routes.hpp"
#include "worker/runtime/store_call.hpp"
#include "worker/settings/user_settings.hpp"

namespace twake::api {

namespace {

using http::beast_http::status;
using http::beast_http::verb;

struct Owner {
    std::string user_id;
    std::string domain_id;
};

// Blocking: the caller's user and domain ids; with `provision`, creates the user first (a
// write needs a document to hang on). Nullopt when the caller has no user document.
std::optional<Owner> find_owner(ApiContext& ctx, const std::string& email, bool provision) {
    std::optional<store::User> user = ctx.users.find_by_email(email);
    if (!user && provision) {
        try {
            user = ctx.provisioning.provision(email, std::nullopt, std::nullopt).user;
        } catch (const store::DomainNotFound&) {
            return std::nullopt;
        }
    }
    if (!user || !user->domain_id) {
        return std::nullopt;
    }
    return Owner{user->id, *user->domain_id};
}

json::Json parse_body(const http::Request& request) {
    auto body = json::Json::parse(request.body());
    if (!body) {
        throw bad_request("Invalid request body");
    }
    return std::move(*body);
}

// Stores `modules` as the caller's settings, merged into what is stored when `merge` (PATCH),
// in place of it otherwise (PUT). References, not values: see BlockingPool::run.
http::Awaitable<http::Response> store_settings(ApiContext& ctx, const std::string& email,
                                               const std::shared_ptr<json::Json>& modules,
                                               bool merge) {
    auto* c = &ctx;
    auto write = [c, email, modules, merge] {
        auto owner = find_owner(*c, email, true);
        if (!owner) {
            return false;
        }
        json::Json result =
            merge ? settings::merge_modules(
                        c->configurations.read(owner->user_id, owner->domain_id).get(),
                        modules->get())
                  : json::Json::copy_of(modules->get());
        c->configurations.persist(owner->user_id, owner->domain_id, result.get());
        return true;
    };
    if (!co_await runtime::run_store_call(ctx.blocking, write)) {
        throw not_found("User not found");
    }
    co_return http::make_response(status::no_content, "", "");
}

}  // namespace

void add_configuration_routes(http::Router& router, ApiContext& ctx) {
    router.add(
        verb::post, "/api/configurations",
        [&ctx](http::RouteContext& route) -> http::Awaitable<http::Response> {
            Caller caller = require_caller(route.request);
            auto request = json::Json::parse(route.request.body());
            if (!request || !cJSON_IsArray(request->get())) {
                throw bad_request("Expecting a JSON array");
            }
            auto* c = &ctx;
            std::string email = caller.email;
            auto load = [c, email] {
                auto owner = find_owner(*c, email, false);
                return owner ? c->configurations.read(owner->user_id, owner->domain_id)
                             : json::Json::array();
            };
            json::Json stored = co_await runtime::run_store_call(ctx.blocking, load);
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
        [&ctx](http::RouteContext& route) -> http::Awaitable<http::Response> {
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
            auto shared = std::make_shared<json::Json>(std::move(*modules));
            co_return co_await store_settings(ctx, caller.email, shared, false);
        },
        "UserConfigurationsRoute");

    router.add(
        verb::patch, "/api/configurations",
        [&ctx](http::RouteContext& route) -> http::Awaitable<http::Response> {
            Caller caller = require_caller(route.request);
            auto modules = settings::parse_modules_body(parse_body(route.request).get());
            if (!modules) {
                throw bad_request("Invalid request body");
            }
            auto shared = std::make_shared<json::Json>(std::move(*modules));
            co_return co_await store_settings(ctx, caller.email, shared, true);
        },
        "UserConfigurationPatchRoute");
}

}  // namespace twake::api
