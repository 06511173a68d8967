// /tasks: the reports of the task manager (docs/webadmin.md §6).

#include "shared/json/json.hpp"
#include "worker/http/uri.hpp"
#include "worker/tasks/task_manager.hpp"
#include "worker/tasks/task_query.hpp"
#include "worker/webadmin/route_refusal.hpp"
#include "worker/webadmin/routes.hpp"
#include "worker/webadmin/webadmin_error.hpp"

namespace twake::webadmin {

namespace {

using http::beast_http::status;
using http::beast_http::verb;

http::Response json_response(const json::Json& body) {
    return http::make_response(status::ok, http::kJson, body.dump());
}

// The {id} of the path, lower-cased; 400 when it is not a UUID.
std::string task_id_param(const http::RouteContext& route) {
    const std::string& raw = route.params.at("id");
    auto id = tasks::parse_task_id(raw);
    if (!id) {
        throw RouteRefusal(400, error_type::kInvalidArgument, "Invalid task id",
                           "'" + raw + "' is not a UUID");
    }
    return *id;
}

// The query's parameters as the task filters read them (the first value of a repeated one).
tasks::QueryParams query_params(const http::Target& target) {
    tasks::QueryParams params;
    for (const auto& [name, value] : target.query()) {
        params.emplace(name, value);  // keeps the first
    }
    return params;
}

}  // namespace

void add_task_routes(http::Router& router, WebadminContext& ctx) {
    tasks::TaskManager* manager = &ctx.tasks;  // lives in main, beyond the router

    router.add(verb::get, "/tasks",
               [manager](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   tasks::TaskFilter filter;
                   try {
                       filter = tasks::parse_task_filter(query_params(route.target));
                   } catch (const errors::InvalidInput& e) {
                       // Upstream's message for every filter (sic).
                       throw RouteRefusal(400, error_type::kInvalidArgument,
                                          "Invalid status query parameter", e.what());
                   }
                   json::Json list = json::Json::array();
                   for (const auto& report : tasks::select_reports(manager->list(), filter)) {
                       list.push(tasks::report_json(report));
                   }
                   co_return json_response(list);
               });

    router.add(verb::get, "/tasks/{id}",
               [manager](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   std::string id = task_id_param(route);
                   auto report = manager->report(id);
                   if (!report) {
                       throw RouteRefusal(404, error_type::kNotFound, id + " can not be found");
                   }
                   co_return json_response(tasks::report_json(*report));
               });

    router.add(
        verb::get, "/tasks/{id}/await",
        [manager](http::RouteContext& route) -> http::Awaitable<http::Response> {
            std::string id = task_id_param(route);
            std::chrono::milliseconds timeout{};
            try {
                timeout = tasks::parse_await_timeout(route.target.param("timeout"));
            } catch (const errors::InvalidInput& e) {
                throw RouteRefusal(400, error_type::kInvalidArgument, "Invalid timeout", e.what());
            }
            std::optional<tasks::TaskReport> report;
            try {
                report = co_await manager->await(id, timeout);
            } catch (const tasks::AwaitTimeout&) {
                throw RouteRefusal(408, error_type::kServerError, "The timeout has been reached");
            } catch (const tasks::TaskManagerStopped&) {
                throw RouteRefusal(503, error_type::kServerError, "The worker is stopping");
            }
            if (!report) {
                // Upstream's type and message for this route.
                throw RouteRefusal(404, error_type::kServerError, "The taskId is not found");
            }
            co_return json_response(tasks::report_json(*report));
        });

    router.add(verb::delete_, "/tasks/{id}",
               [manager](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   std::string id = task_id_param(route);
                   manager->cancel(id);  // unknown or finished: 204 all the same
                   co_return http::make_response(status::no_content, http::kJson, "");
               });
}

}  // namespace twake::webadmin
