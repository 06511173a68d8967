// Resources and entities (docs/reference/rest-api.md §10).

#include <optional>

#include "shared/identity/address.hpp"
#include "shared/json/json.hpp"
#include "shared/log/log.hpp"
#include "shared/text/utc_time.hpp"
#include "worker/api/caller.hpp"
#include "worker/api/openpaas_json.hpp"
#include "worker/api/rest_error.hpp"
#include "worker/api/routes.hpp"
#include "worker/services/resources.hpp"
#include "worker/settings/user_settings.hpp"

namespace twake::api {

namespace {

using http::beast_http::status;
using http::beast_http::verb;

const log::Logger kLog("worker.api.resources");

json::Json reduced_domain_json(const store::Domain& domain) {
    json::Json d = domain_json(domain);
    for (const char* key : {"schemaVersion", "injections", "__v"}) {
        cJSON_DeleteItemFromObjectCaseSensitive(d.get(), key);
    }
    return d;
}

json::Json resource_json(const services::ResourceView& v, bool entity) {
    const store::Resource& r = v.resource;
    json::Json timestamps = json::Json::object();
    timestamps.set("creation",
                   r.created ? text::iso8601_utc_millis(*r.created) : std::string(kFakedTimestamp));
    if (r.updated) {
        timestamps.set("updatedAt", text::iso8601_utc_millis(*r.updated));
    }
    json::Json admins = json::Json::array();
    for (const auto& a : v.administrators) {
        json::Json o = json::Json::object();
        o.set("id", a.user_id);
        o.set("_id", a.user_id);
        o.set("objectType", "user");
        o.set("davRight", a.access == 5 ? "dav:administration" : "dav:read-write");
        o.set("access", a.access);
        admins.push(std::move(o));
    }
    json::Json o = json::Json::object();
    o.set("timestamps", std::move(timestamps));
    o.set("deleted", r.deleted);
    o.set("_id", r.id);
    o.set("name", r.name);
    o.set("description", r.description);
    o.set("type", r.type);
    if (r.icon) {
        o.set("icon", *r.icon);
    }
    o.set("administrators", std::move(admins));
    if (r.creator) {
        o.set("creator", *r.creator);
    }
    o.set("domain", entity ? reduced_domain_json(v.domain) : domain_json(v.domain));
    if (!entity) {
        o.set("__v", 0);
    }
    return o;
}

// An unreachable esn-sabre makes the administrators unknowable: 503, not a silent empty list.
RestError administrators_unavailable(const dav::DavError& e) {
    kLog.error("Resource administrators unavailable", {{"error", e.what()}});
    return service_unavailable("esn-sabre is unavailable");
}

}  // namespace

void add_resource_routes(http::Router& router, ApiContext& ctx) {
    services::Resources resources(ctx.blocking, ctx.resources, ctx.domains, ctx.users,
                                  ctx.configurations, ctx.dav);

    auto resource = [resources](http::RouteContext& route) -> http::Awaitable<http::Response> {
        Caller caller = require_caller(route.request);
        std::optional<services::ResourceView> view;
        try {
            view = co_await resources.find(route.params.at("id"));
        } catch (const dav::DavError& e) {
            throw administrators_unavailable(e);
        }
        if (!view || !caller.may_read(view->domain.name)) {
            throw not_found("Resource not found");
        }
        co_return json_response(status::ok, resource_json(*view, false).dump());
    };
    router.add(verb::get, "/api/resources/{id}", resource, "ResourceRoute");
    router.add(verb::get, "/linagora.esn.resource/api/resources/{id}", resource, "ResourceRoute");

    // An id of unknown kind: user, then resource, then domain (team calendars are [later]).
    router.add(
        verb::get, "/api/entity/{id}",
        [&ctx, resources](http::RouteContext& route) -> http::Awaitable<http::Response> {
            Caller caller = require_caller(route.request);
            services::Entity found;
            try {
                found = co_await resources.entity(route.params.at("id"));
            } catch (const dav::DavError& e) {
                throw administrators_unavailable(e);
            }
            json::Json body = json::Json::object();
            if (found.user) {
                auto address = identity::parse_address(found.user->email);
                if (!address || !caller.may_read(address->domain)) {
                    throw not_found("Entity not found");
                }
                settings::UserSettings settings(ctx.config, found.user_settings.get());
                body.set("user", user_json(*found.user, found.user_domain_id, settings.timezone()));
            } else if (found.resource && caller.may_read(found.resource->domain.name)) {
                body.set("resource", resource_json(*found.resource, true));
            } else if (found.domain && caller.may_read(found.domain->name)) {
                body.set("domain", reduced_domain_json(*found.domain));
            } else {
                throw not_found("Entity not found");
            }
            co_return json_response(status::ok, body.dump());
        },
        "EntityRoute");
}

}  // namespace twake::api
