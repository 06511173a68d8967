// The domain and theme routes of docs/reference/rest-api.md §5.

#include "worker/api/caller.hpp"
#include "worker/api/openpaas_json.hpp"
#include "worker/api/rest_error.hpp"
#include "worker/api/routes.hpp"
#include "worker/services/domain_directory.hpp"

namespace twake::api {

namespace {

using http::beast_http::field;
using http::beast_http::status;
using http::beast_http::verb;

}  // namespace

void add_domain_routes(http::Router& router, ApiContext& ctx) {
    services::DomainDirectory domains(ctx.blocking, ctx.domains);

    router.add(
        verb::get, "/api/domains/{id}",
        [domains](http::RouteContext& route) -> http::Awaitable<http::Response> {
            Caller caller = require_caller(route.request);
            auto domain = co_await domains.find_by_id(route.params.at("id"));
            if (!domain || !caller.may_read(domain->name)) {
                throw not_found("Domain not found");
            }
            http::Response r = json_response(status::ok, domain_json(*domain).dump());
            r.set(field::cache_control, "max-age=60, public");
            co_return r;
        },
        "DomainRoute");

    // Themes are constant; the domain id is not even looked up (as upstream).
    router.add(
        verb::get, "/api/themes/{domainId}",
        [](http::RouteContext& route) -> http::Awaitable<http::Response> {
            require_caller(route.request);
            http::Response r =
                http::make_response(status::ok, "application/json", R"({"logos":{},"colors":{}})");
            r.set(field::cache_control, "public, max-age=86400");
            co_return r;
        },
        "ThemeRoute");

    router.add(
        verb::get, "/api/themes/{domainId}/logo",
        [&ctx](http::RouteContext& route) -> http::Awaitable<http::Response> {
            require_caller(route.request);
            http::Response r = http::make_response(status::moved_permanently, "", "");
            r.set(field::location,
                  ctx.config.spa_calendar_url + "/calendar/assets/images/white-logo.svg");
            r.set(field::cache_control, "public, max-age=86400");
            co_return r;
        },
        "LogoRoute");
}

}  // namespace twake::api
