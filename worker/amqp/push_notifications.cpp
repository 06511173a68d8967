#include "worker/amqp/push_notifications.hpp"

#include <cjson/cJSON.h>

#include "shared/json/json.hpp"
#include "shared/log/log.hpp"
#include "worker/runtime/store_call.hpp"

namespace twake::amqp {

namespace {

const log::Logger kLog("worker.amqp.push");

json::Json parse_object(std::string_view body) {
    auto doc = json::Json::parse(body);
    if (!doc || !cJSON_IsObject(doc->get())) {
        throw PoisonMessage("not a JSON object");
    }
    return std::move(*doc);
}

// The owner's address, nullopt when the home is no user's.
struct Owner {
    std::optional<std::string> email;
    bool resource = false;
};

runtime::Awaitable<HandlerOutcome> on_calendar_list(const CalendarListContext& context,
                                                    const Delivery& delivery) {
    const CalendarListChange change =
        read_calendar_list_notification(delivery.exchange, delivery.body);
    auto* users = &context.users;
    auto* resources = &context.resources;
    const std::string home = change.calendar.home;
    auto lookup = [users, resources, home] {
        Owner owner;
        if (auto user = users->find_by_id(home)) {
            owner.email = user->email;
        } else {
            owner.resource = resources->find_by_id(home).has_value();
        }
        return owner;
    };
    Owner owner;
    try {
        owner = co_await runtime::run_store_call(context.blocking, lookup);
    } catch (const std::exception& e) {
        // Replaying a stale hint later is useless: acknowledged, counted as dropped.
        kLog.warn("Calendar-list push dropped: owner lookup failed",
                  {{"home", home}, {"error", e.what()}});
        context.metrics.dropped("dependency");
        co_return HandlerOutcome::done();
    }
    if (owner.email) {
        context.push(realtime::PushEvent::calendar_list(*owner.email, change.change,
                                                        change.calendar.path()));
    } else if (!owner.resource && delivery.exchange != "calendar:calendar:deleted") {
        // Resources' and team calendars' homes have no socket; anything else is unexpected.
        kLog.warn("Calendar-list push dropped: the home is no user's",
                  {{"home", home}, {"exchange", delivery.exchange}});
    }
    co_return HandlerOutcome::done();
}

}  // namespace

realtime::CollectionPath read_event_notification(std::string_view body) {
    json::Json doc = parse_object(body);
    auto path = json::string_member(doc.get(), "eventPath");
    if (!path) {
        throw PoisonMessage("`eventPath` is missing or not a string");
    }
    auto calendar = realtime::calendar_of_object_path(*path);
    if (!calendar) {
        throw PoisonMessage("`eventPath` is not /calendars/{home}/{calendar}/{object}");
    }
    return *calendar;
}

CalendarListChange read_calendar_list_notification(std::string_view exchange,
                                                   std::string_view body) {
    json::Json doc = parse_object(body);
    auto text = json::string_member(doc.get(), "calendarPath");
    if (!text) {
        throw PoisonMessage("`calendarPath` is missing or not a string");
    }
    std::string path = text->starts_with('/') ? *text : "/" + *text;
    auto calendar = realtime::parse_collection_path(path);
    if (!calendar || calendar->kind != realtime::CollectionKind::Calendar) {
        throw PoisonMessage("`calendarPath` is not /calendars/{home}/{calendar}");
    }
    std::string change;
    if (exchange == "calendar:calendar:created") {
        // A calendar created in the delegate's home by a delegation carries its right.
        const cJSON* props = cJSON_GetObjectItemCaseSensitive(doc.get(), "calendarProps");
        auto access = json::string_member(props, "access").value_or("");
        bool delegated =
            access == "dav:read-write" || access == "dav:read" || access == "dav:administration";
        change = delegated ? "delegated" : "created";
    } else if (exchange == "calendar:calendar:updated" ||
               exchange == "calendar:subscription:updated") {
        change = "updated";
    } else if (exchange == "calendar:calendar:deleted" ||
               exchange == "calendar:subscription:deleted") {
        change = "deleted";
    } else if (exchange == "calendar:subscription:created") {
        change = "subscribed";
    } else {
        throw PoisonMessage("published to an unexpected exchange '" + std::string(exchange) + "'");
    }
    return {std::move(*calendar), std::move(change)};
}

std::vector<Consumer> event_notification_consumers(const PushSink& push) {
    std::vector<Consumer> consumers;
    for (const auto& spec : event_notification_queues()) {
        consumers.push_back(
            {spec, 16, [&push](const Delivery& delivery) -> runtime::Awaitable<HandlerOutcome> {
                 push(realtime::PushEvent::collection_changed(
                     read_event_notification(delivery.body)));
                 co_return HandlerOutcome::done();
             }});
    }
    return consumers;
}

Consumer calendar_list_consumer(const CalendarListContext& context) {
    return {calendar_list_notification_queue(), 16,
            [&context](const Delivery& delivery) { return on_calendar_list(context, delivery); }};
}

}  // namespace twake::amqp
