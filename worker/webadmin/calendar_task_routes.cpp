// POST /calendars?task=… (docs/webadmin.md §8): the calendar tasks, one branch each of
// kCalendarTasks (reindex, scheduleAlarms).

#include <charconv>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "shared/json/json.hpp"
#include "worker/tasks/reindex_events_task.hpp"
#include "worker/tasks/schedule_alarms_task.hpp"
#include "worker/webadmin/route_refusal.hpp"
#include "worker/webadmin/routes.hpp"
#include "worker/webadmin/task_started.hpp"
#include "worker/webadmin/webadmin_error.hpp"

namespace twake::webadmin {

namespace {

using http::beast_http::verb;

constexpr std::string_view kInvalidArguments = "Invalid arguments supplied in the user request";

RouteRefusal invalid_arguments(std::string details) {
    return RouteRefusal(400, error_type::kInvalidArgument, std::string(kInvalidArguments),
                        std::move(details));
}

// A strictly positive integer query parameter, `fallback` when absent (docs/webadmin.md §8).
int positive_param(const http::Target& target, const char* name, int fallback) {
    auto value = target.param(name);
    if (!value) {
        return fallback;
    }
    int n = 0;
    auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), n);
    if (value->empty() || ec != std::errc() || end != value->data() + value->size()) {
        throw invalid_arguments(std::string("Illegal value supplied for query parameter '") + name +
                                "', expecting an integer");
    }
    if (n <= 0) {
        throw invalid_arguments(std::string("Query parameter '") + name +
                                "' must be strictly positive, got: " + std::to_string(n));
    }
    return n;
}

// Makes the task a `task` value names, from the request's other parameters.
using TaskFactory =
    std::function<std::unique_ptr<tasks::Task>(WebadminContext&, const http::Target&)>;

struct CalendarTask {
    std::string_view name;
    TaskFactory make;
};

std::unique_ptr<tasks::Task> schedule_alarms(WebadminContext& ctx, const http::Target& target) {
    int per_second = positive_param(target, "eventsPerSecond", 100);
    return std::make_unique<tasks::ScheduleAlarmsTask>(ctx.blocking, ctx.users, ctx.dav,
                                                       ctx.alarm_rows, per_second);
}

std::unique_ptr<tasks::Task> reindex(WebadminContext& ctx, const http::Target& target) {
    tasks::ReindexOptions options{
        .events_per_second = positive_param(target, "eventsPerSecond", 100),
        .calendars_concurrency = positive_param(target, "calendarsConcurrency", 1)};
    return std::make_unique<tasks::ReindexEventsTask>(ctx.blocking, ctx.users, ctx.resources,
                                                      ctx.dav, ctx.events_index, options);
}

const CalendarTask kCalendarTasks[] = {
    {"reindex", reindex},
    {"scheduleAlarms", schedule_alarms},
};

std::string supported_tasks() {
    std::string names;
    for (const CalendarTask& task : kCalendarTasks) {
        names += names.empty() ? "" : ", ";
        names += task.name;
    }
    return "Supported values are [" + names + "]";
}

const CalendarTask& selected_task(const http::Target& target) {
    auto task = target.param("task");
    if (!task) {
        throw invalid_arguments("'task' query parameter is compulsory. " + supported_tasks());
    }
    if (task->find_first_not_of(" \t") == std::string::npos) {
        throw invalid_arguments("'task' query parameter cannot be empty or blank. " +
                                supported_tasks());
    }
    for (const CalendarTask& known : kCalendarTasks) {
        if (*task == known.name) {
            return known;
        }
    }
    throw invalid_arguments("Invalid value supplied for query parameter 'task': " + *task + ". " +
                            supported_tasks());
}

}  // namespace

void add_calendar_task_routes(http::Router& router, WebadminContext& ctx) {
    router.add(verb::post, "/calendars",
               [&ctx](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   const CalendarTask& task = selected_task(route.target);
                   co_return task_started(ctx.tasks.submit(task.make(ctx, route.target)));
               });
}

}  // namespace twake::webadmin
