// GET /api/domain/settings (docs/reference/rest-api.md §7): the settings in effect for the caller's domain.

#include "worker/api/caller.hpp"
#include "worker/api/rest_error.hpp"
#include "worker/api/routes.hpp"
#include "worker/services/domain_settings_editor.hpp"
#include "worker/settings/domain_settings.hpp"

namespace twake::api {

void add_domain_settings_routes(http::Router& router, ApiContext& ctx) {
    // All four fields: upstream's route emits only the first three, its documentation lists
    // four (docs/reference/rest-api.md §7).
    services::DomainSettingsEditor editor(ctx.blocking, ctx.domains, ctx.domain_settings);
    router.add(
        http::beast_http::verb::get, "/api/domain/settings",
        [&ctx, editor](http::RouteContext& route) -> http::Awaitable<http::Response> {
            Caller caller = require_caller(route.request);
            settings::DomainSettings stored = co_await editor.stored(caller.domain);
            co_return json_response(
                http::beast_http::status::ok,
                settings::to_json(settings::resolve(stored, caller.domain, ctx.config)).dump());
        },
        "DomainSettingsRoute");
}

}  // namespace twake::api
