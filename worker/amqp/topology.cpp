#include "worker/amqp/topology.hpp"

namespace twake::amqp {

QueueSpec with_colon_dead_letter(std::string exchange, std::string queue) {
    std::string dead_letter = queue + ":dead-letter";
    return {std::move(exchange), std::move(queue), std::move(dead_letter), {}};
}

QueueSpec with_dash_dead_letter(std::string exchange, std::string queue) {
    std::string dead_letter = queue + "-dead-letter";
    return {std::move(exchange), std::move(queue), std::move(dead_letter), {}};
}

const std::vector<std::string>& calendar_exchanges() {
    static const std::vector<std::string> kExchanges = {
        "calendar:event:created",
        "calendar:event:updated",
        "calendar:event:deleted",
        "calendar:event:request",
        "calendar:event:reply",
        "calendar:event:cancel",
        "calendar:event:alarm:created",
        "calendar:event:alarm:updated",
        "calendar:event:alarm:request",
        "calendar:event:alarm:deleted",
        "calendar:event:alarm:cancel",
        "calendar:itip:localDelivery",
        "calendar:event:notificationEmail:send",
        "resource:calendar:event:created",
        "resource:calendar:event:accepted",
        "resource:calendar:event:declined",
        "calendar:calendar:created",
        "calendar:calendar:deleted",
        "calendar:calendar:updated",
        "calendar:subscription:created",
        "calendar:subscription:deleted",
        "calendar:subscription:updated",
        "sabre:contact:created",
        "sabre:contact:deleted",
        "sabre:contact:updated",
        "sabre:contact:update",
        "sabre:addressbook:created",
        "sabre:addressbook:deleted",
        "sabre:addressbook:updated",
        "sabre:addressbook:subscription:created",
        "sabre:addressbook:subscription:deleted",
        "sabre:addressbook:subscription:updated",
    };
    return kExchanges;
}

const std::vector<QueueSpec>& event_notification_queues() {
    static const std::vector<QueueSpec> kQueues = [] {
        std::vector<QueueSpec> queues;
        for (const char* x : {"created", "updated", "deleted", "request", "reply", "cancel"}) {
            queues.push_back(
                with_dash_dead_letter(std::string("calendar:event:") + x,
                                      std::string("tcalendar:event:") + x + ":notification"));
        }
        return queues;
    }();
    return kQueues;
}

const QueueSpec& calendar_list_notification_queue() {
    static const QueueSpec kQueue = [] {
        QueueSpec spec = with_colon_dead_letter("calendar:calendar:created",
                                                "tcalendar:calendar:list:notification");
        spec.more_exchanges = {"calendar:calendar:updated", "calendar:calendar:deleted",
                               "calendar:subscription:created", "calendar:subscription:updated",
                               "calendar:subscription:deleted"};
        return spec;
    }();
    return kQueue;
}

const std::vector<QueueSpec>& calendar_queues() {
    static const std::vector<QueueSpec> kQueues = {
        with_dash_dead_letter("calendar:event:created", "tcalendar:event:created:search"),
        with_dash_dead_letter("calendar:event:updated", "tcalendar:event:updated:search"),
        with_dash_dead_letter("calendar:event:deleted", "tcalendar:event:deleted:search"),
        with_colon_dead_letter("calendar:event:alarm:created", "tcalendar:event:alarm:created"),
        with_colon_dead_letter("calendar:event:alarm:updated", "tcalendar:event:alarm:updated"),
        with_colon_dead_letter("calendar:event:alarm:request", "tcalendar:event:alarm:request"),
        with_colon_dead_letter("calendar:event:alarm:deleted", "tcalendar:event:alarm:deleted"),
        with_colon_dead_letter("calendar:event:alarm:cancel", "tcalendar:event:alarm:cancel"),
        with_colon_dead_letter("calendar:itip:localDelivery", "tcalendar:itip:localDelivery"),
        with_colon_dead_letter("calendar:event:notificationEmail:send",
                               "tcalendar:event:notificationEmail:send"),
        with_colon_dead_letter("resource:calendar:event:created",
                               "resource:tcalendar:event:created"),
        with_colon_dead_letter("resource:calendar:event:accepted",
                               "resource:tcalendar:event:accepted"),
        with_colon_dead_letter("resource:calendar:event:declined",
                               "resource:tcalendar:event:declined"),
    };
    return kQueues;
}

std::vector<TableEntry> dead_letter_queue_arguments() {
    return {{"x-queue-version", std::int32_t{2}}};
}

std::vector<TableEntry> work_queue_arguments(const QueueSpec& spec) {
    std::vector<TableEntry> arguments = dead_letter_queue_arguments();
    arguments.push_back({"x-dead-letter-exchange", spec.dead_letter});
    return arguments;
}

}  // namespace twake::amqp
