#include "worker/webadmin/routes.hpp"
#include "shared/text/percent.hpp"

#include "shared/json/json.hpp"
#include "worker/http/uri.hpp"
#include "worker/webadmin/webadmin_error.hpp"

namespace twake::webadmin {

namespace {

using http::beast_http::verb;

json::Json check_json(const health::Result& r) {
    json::Json o = json::Json::object();
    o.set("componentName", r.component);
    o.set("escapedComponentName", text::percent_encode(r.component));
    o.set("status", health::status_name(r.status));
    if (r.cause) {
        o.set("cause", *r.cause);
    } else {
        o.set_null("cause");
    }
    return o;
}

http::Response json_response(int status, const json::Json& body) {
    return http::make_response(static_cast<http::beast_http::status>(status), http::kJson,
                               body.dump());
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) {
        out += (out.empty() ? "" : ", ") + i;
    }
    return out;
}

}  // namespace

void add_healthcheck_routes(http::Router& router, WebadminContext& ctx) {
    // Lambdas capture the registry's address: it outlives the router (it lives in main).
    health::HealthRegistry* registry_ptr = &ctx.health;
    router.add(verb::get, "/healthcheck",
               [registry_ptr](http::RouteContext& ctx) -> http::Awaitable<http::Response> {
                   health::HealthRegistry& registry = *registry_ptr;
                   std::vector<std::shared_ptr<health::HealthCheck>> selected;
                   std::vector<std::string> unknown;
                   for (const auto& name : ctx.target.params("check")) {
                       if (auto c = registry.find(name)) {
                           selected.push_back(c);
                       } else {
                           unknown.push_back(name);
                       }
                   }
                   if (!unknown.empty()) {
                       co_return error_response(
                           404, error_type::kNotFound,
                           "Components with name " + join(unknown) + " cannot be found");
                   }
                   if (selected.empty()) {
                       selected = registry.checks();
                   }
                   auto results = co_await registry.run(selected);
                   health::Status overall = health::aggregate(results);
                   json::Json checks = json::Json::array();
                   for (const auto& r : results) {
                       checks.push(check_json(r));
                   }
                   json::Json body = json::Json::object();
                   body.set("status", health::status_name(overall));
                   body.set("checks", std::move(checks));
                   co_return json_response(health::http_status(overall, ctx.target.has("strict")),
                                           body);
               });

    router.add(verb::get, "/healthcheck/checks",
               [registry_ptr](http::RouteContext&) -> http::Awaitable<http::Response> {
                   health::HealthRegistry& registry = *registry_ptr;
                   json::Json list = json::Json::array();
                   for (const auto& c : registry.checks()) {
                       json::Json o = json::Json::object();
                       o.set("componentName", c->name());
                       o.set("escapedComponentName", text::percent_encode(c->name()));
                       list.push(std::move(o));
                   }
                   co_return json_response(200, list);
               });

    router.add(verb::get, "/healthcheck/checks/{name}",
               [registry_ptr](http::RouteContext& ctx) -> http::Awaitable<http::Response> {
                   health::HealthRegistry& registry = *registry_ptr;
                   const std::string& name = ctx.params.at("name");
                   auto check = registry.find(name);
                   if (!check) {
                       co_return error_response(404, error_type::kNotFound,
                                                "Component with name " + name + " cannot be found");
                   }
                   std::vector<std::shared_ptr<health::HealthCheck>> one{check};
                   auto results = co_await registry.run(one);
                   co_return json_response(
                       health::http_status(results.front().status, ctx.target.has("strict")),
                       check_json(results.front()));
               });
}

}  // namespace twake::webadmin
