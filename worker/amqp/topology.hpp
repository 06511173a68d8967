#pragma once

// The exchanges and queues of the calendar side (docs/reference/rabbitmq.md §5): names and
// arguments as upstream declares them, so that an existing deployment's queues are reused.

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace twake::amqp {

// A work queue fed by one fanout exchange (or more), and the dead-letter queue its failures go
// to. The dead-letter exchange is named like the dead-letter queue.
struct QueueSpec {
    std::string exchange;
    std::string queue;
    std::string dead_letter;
    std::vector<std::string> more_exchanges = {};  // also bound to these
};

struct TableEntry {
    std::string key;
    std::variant<std::int32_t, std::string> value;
};

// `<queue>:dead-letter`, the naming of most upstream queues.
QueueSpec with_colon_dead_letter(std::string exchange, std::string queue);
// `<queue>-dead-letter`, the naming of upstream's search queues.
QueueSpec with_dash_dead_letter(std::string exchange, std::string queue);

// Every exchange esn-sabre or the worker publishes to, declared at start even for features
// the worker lacks: esn-sabre never declares them and a publish to a missing one kills its
// channel.
const std::vector<std::string>& calendar_exchanges();

// The work queues of the calendar features (search, alarms, iTIP delivery, mail, resources).
const std::vector<QueueSpec>& calendar_queues();

// The WebSocket push queues (docs/reference/realtime.md §3): one per calendar:event:<x>
// exchange, and the calendar list's queue bound to the six calendar and subscription exchanges.
// Declared only by a node that consumes them (websocket.push.consumers.enabled): nobody else
// would ever empty them.
const std::vector<QueueSpec>& event_notification_queues();
const QueueSpec& calendar_list_notification_queue();

// Classic queues version 2, as upstream forces for every calendar queue.
std::vector<TableEntry> dead_letter_queue_arguments();
// The same plus `x-dead-letter-exchange` naming the queue's dead-letter exchange.
std::vector<TableEntry> work_queue_arguments(const QueueSpec& spec);

}  // namespace twake::amqp
