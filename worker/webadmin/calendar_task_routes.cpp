// POST /calendars?task=… (docs/webadmin.md §8): the calendar tasks, one branch each of
// kCalendarTasks (reindex, scheduleAlarms).

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "shared/json/json.hpp"
#include "worker/tasks/reindex_events_task.hpp"
#include "worker/tasks/schedule_alarms_task.hpp"
#include "worker/webadmin/routes.hpp"
#include "worker/webadmin/task_parameters.hpp"
#include "worker/webadmin/task_started.hpp"

namespace twake::webadmin {

namespace {

using http::beast_http::verb;

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

const CalendarTask& selected(const http::Target& target) {
    static const std::vector<std::string_view> names = [] {
        std::vector<std::string_view> out;
        for (const CalendarTask& task : kCalendarTasks) {
            out.push_back(task.name);
        }
        return out;
    }();
    return kCalendarTasks[selected_task(target, names)];
}

}  // namespace

void add_calendar_task_routes(http::Router& router, WebadminContext& ctx) {
    router.add(verb::post, "/calendars",
               [&ctx](http::RouteContext& route) -> http::Awaitable<http::Response> {
                   const CalendarTask& task = selected(route.target);
                   co_return task_started(ctx.tasks.submit(task.make(ctx, route.target)));
               });
}

}  // namespace twake::webadmin
