// People search (docs/reference/rest-api.md §14): the attendee picker's suggestions — users and
// resources of the caller's domain, the caller's and its domain's contacts kept by Twake Mail.

#include <prometheus/counter.h>

#include "worker/api/caller.hpp"
#include "worker/api/rest_error.hpp"
#include "worker/api/routes.hpp"
#include "worker/search/people_search_request.hpp"
#include "worker/services/people_search.hpp"

namespace twake::api {

void add_people_search_routes(http::Router& router, ApiContext& ctx) {
    prometheus::Counter& contact_failures =
        prometheus::BuildCounter()
            .Name("tcal_people_search_contact_failures_total")
            .Help("People searches answered without contacts because OpenSearch failed")
            .Register(ctx.metrics.registry())
            .Add({});
    services::PeopleSearch people(
        services::PeopleSources{ctx.blocking, ctx.users, ctx.domains, ctx.resources,
                                ctx.domain_settings, ctx.opensearch, ctx.config},
        contact_failures);

    router.add(
        http::beast_http::verb::post, "/api/people/search",
        [people](http::RouteContext& route) -> http::Awaitable<http::Response> {
            Caller caller = require_caller(route.request);
            // Refusals are errors::InvalidInput: a 400 with their text.
            search::PeopleSearchRequest request = search::parse_people_search(route.request.body());
            auto found = co_await people.search(caller.email, caller.domain, request);
            co_return json_response(http::beast_http::status::ok,
                                    search::people_json(found).dump());
        },
        "PeopleSearchRoute");
}

}  // namespace twake::api
