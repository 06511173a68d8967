// Resources and entities (docs/reference/rest-api.md §10).

#include <ctime>
#include <set>

#include "shared/identity/address.hpp"
#include "shared/json/json.hpp"
#include "shared/log/log.hpp"
#include "shared/text/utc_time.hpp"
#include "worker/api/caller.hpp"
#include "worker/api/openpaas_json.hpp"
#include "worker/api/rest_error.hpp"
#include "worker/api/routes.hpp"
#include "worker/runtime/store_call.hpp"
#include "worker/settings/user_settings.hpp"

namespace twake::api {

namespace {

using http::beast_http::status;
using http::beast_http::verb;

const log::Logger kLog("worker.api.resources");

struct Administrator {
    std::string user_id;
    int access;
};

// What a resource answer needs, read in one blocking call.
struct ResourceView {
    store::Resource resource;
    store::Domain domain;
    std::vector<Administrator> administrators;
};

// Administrators are the sharees of the resource's calendar with read-write (3) or
// administration (5) rights, resolved to user documents (docs/reference/rest-api.md §10.1).
std::vector<Administrator> administrators(ApiContext& ctx, const store::Resource& r) {
    std::vector<Administrator> out;
    auto sharees = ctx.dav.calendar_sharees(r.id, r.id, r.domain_id);
    if (!sharees) {
        return out;
    }
    std::set<std::string> seen;
    for (const auto& s : *sharees) {
        if (s.access != 3 && s.access != 5) {
            continue;
        }
        auto user = ctx.users.find_by_email(s.email);
        if (user && seen.insert(user->id).second) {
            out.push_back({user->id, s.access});
        }
    }
    return out;
}

std::optional<ResourceView> load_resource(ApiContext& ctx, const std::string& id) {
    auto resource = ctx.resources.find_by_id(id);
    if (!resource) {
        return std::nullopt;
    }
    auto domain = ctx.domains.find_by_id(resource->domain_id);
    if (!domain) {
        return std::nullopt;
    }
    return ResourceView{*resource, *domain, administrators(ctx, *resource)};
}

json::Json reduced_domain_json(const store::Domain& domain) {
    json::Json d = domain_json(domain);
    for (const char* key : {"schemaVersion", "injections", "__v"}) {
        cJSON_DeleteItemFromObjectCaseSensitive(d.get(), key);
    }
    return d;
}

json::Json resource_json(const ResourceView& v, bool entity) {
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
template <class T>
http::Awaitable<T> with_dav(ApiContext& ctx, const std::function<T()>& load) {
    try {
        co_return co_await runtime::run_store_call(ctx.blocking, load);
    } catch (const dav::DavError& e) {
        kLog.error("Resource administrators unavailable", {{"error", e.what()}});
        throw service_unavailable("esn-sabre is unavailable");
    }
}

}  // namespace

void add_resource_routes(http::Router& router, ApiContext& ctx) {
    auto resource = [&ctx](http::RouteContext& route) -> http::Awaitable<http::Response> {
        Caller caller = require_caller(route.request);
        auto* c = &ctx;
        std::string id = route.params.at("id");
        std::function<std::optional<ResourceView>()> load = [c, id] {
            return load_resource(*c, id);
        };
        auto view = co_await with_dav(ctx, load);
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
        [&ctx](http::RouteContext& route) -> http::Awaitable<http::Response> {
            Caller caller = require_caller(route.request);
            auto* c = &ctx;
            std::string id = route.params.at("id");
            struct Found {
                std::optional<store::User> user;
                std::string user_domain_id;
                json::Json user_settings;
                std::optional<ResourceView> resource;
                std::optional<store::Domain> domain;
            };
            std::function<std::shared_ptr<Found>()> load = [c, id] {
                auto f = std::make_shared<Found>();
                if ((f->user = c->users.find_by_id(id))) {
                    auto address = identity::parse_address(f->user->email);
                    auto domain = address ? c->domains.find_by_name(address->domain) : std::nullopt;
                    f->user_domain_id = domain ? domain->id : "";
                    f->user_settings = c->configurations.read(f->user->id, f->user_domain_id);
                } else if (!(f->resource = load_resource(*c, id))) {
                    f->domain = c->domains.find_by_id(id);
                }
                return f;
            };
            auto found = co_await with_dav(ctx, load);
            json::Json body = json::Json::object();
            if (found->user) {
                auto address = identity::parse_address(found->user->email);
                if (!address || !caller.may_read(address->domain)) {
                    throw not_found("Entity not found");
                }
                settings::UserSettings settings(ctx.config, found->user_settings.get());
                body.set("user",
                         user_json(*found->user, found->user_domain_id, settings.timezone()));
            } else if (found->resource && caller.may_read(found->resource->domain.name)) {
                body.set("resource", resource_json(*found->resource, true));
            } else if (found->domain && caller.may_read(found->domain->name)) {
                body.set("domain", reduced_domain_json(*found->domain));
            } else {
                throw not_found("Entity not found");
            }
            co_return json_response(status::ok, body.dump());
        },
        "EntityRoute");
}

}  // namespace twake::api
