#pragma once

// The WebSocket push consumers (docs/reference/realtime.md §3): esn-sabre's event messages
// become "this calendar changed" pushes, its calendar and subscription messages calendar-list
// pushes to the home's owner. A push is a hint, so they never retry: a message they can read
// is acknowledged whatever happens to its push; one they cannot read is dead-lettered.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "worker/amqp/consumer.hpp"
#include "worker/realtime/collection_path.hpp"
#include "worker/realtime/push_event.hpp"
#include "worker/realtime/realtime_metrics.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/store/resource_store.hpp"
#include "worker/store/user_store.hpp"

namespace twake::amqp {

// Where a consumer's pushes go: the local sockets, and the push bus for the other nodes.
using PushSink = std::function<void(const realtime::PushEvent&)>;

// The calendar of an event message's `eventPath`; throws PoisonMessage when there is none.
realtime::CollectionPath read_event_notification(std::string_view body);

// A calendar-list message: the calendar, and the change the owner is told.
struct CalendarListChange {
    realtime::CollectionPath calendar;
    std::string change;  // created, updated, deleted, delegated, subscribed
};

// `exchange` is the one the message was published to; throws PoisonMessage on a malformed
// message.
CalendarListChange read_calendar_list_notification(std::string_view exchange,
                                                   std::string_view body);

// One consumer per calendar:event:<x> exchange. `push` outlives them.
std::vector<Consumer> event_notification_consumers(const PushSink& push);

struct CalendarListContext {
    store::UserStore& users;
    store::ResourceStore& resources;
    runtime::BlockingPool& blocking;
    realtime::RealtimeMetrics& metrics;
    PushSink push;
};

// The consumer of tcalendar:calendar:list:notification. `context` outlives it.
Consumer calendar_list_consumer(const CalendarListContext& context);

}  // namespace twake::amqp
