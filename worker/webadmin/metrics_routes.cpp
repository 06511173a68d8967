#include "worker/webadmin/routes.hpp"

namespace twake::webadmin {

void add_metrics_routes(http::Router& router, WebadminContext& ctx) {
    const metrics::Metrics* metrics = &ctx.metrics;
    router.add(http::beast_http::verb::get, "/metrics",
               [metrics](http::RouteContext& ctx) -> http::Awaitable<http::Response> {
                   co_return http::make_response(http::beast_http::status::ok,
                                                 "text/plain; version=0.0.4; charset=utf-8",
                                                 metrics->scrape(ctx.target.params("name[]")));
               });
}

}  // namespace twake::webadmin
