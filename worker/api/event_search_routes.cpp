// Event search (docs/reference/rest-api.md §13): the calendar app's search box. The caller
// searches only calendars of its own calendar list, whatever the body names.

#include "shared/log/log.hpp"
#include "worker/api/caller.hpp"
#include "worker/api/rest_error.hpp"
#include "worker/api/routes.hpp"
#include "worker/errors/invalid_input.hpp"
#include "worker/search/event_search_request.hpp"
#include "worker/services/event_search.hpp"

namespace twake::api {

namespace {

using http::beast_http::status;
using http::beast_http::verb;

}  // namespace

void add_event_search_routes(http::Router& router, ApiContext& ctx) {
    services::EventSearch events(ctx.blocking, ctx.users, ctx.dav, ctx.opensearch,
                                 ctx.config.opensearch.events);

    router.add(
        verb::post, "/calendar/api/events/search",
        [events](http::RouteContext& route) -> http::Awaitable<http::Response> {
            Caller caller = require_caller(route.request);
            search::EventSearchRequest request;
            try {
                request =
                    search::read_event_search(route.request.body(), route.target.param("limit"),
                                              route.target.param("offset"));
            } catch (const errors::InvalidInput& e) {
                throw bad_request(e.what());
            }
            try {
                co_return json_response(
                    status::ok, co_await events.search(caller.email, request, route.target.path()));
            } catch (const services::SearchUnavailable& e) {
                throw service_unavailable(e.what());
            }
        },
        "CalendarSearchRoute");
}

}  // namespace twake::api
