#pragma once

// The alarm consumers (docs/reference/alarms.md §3): `tcalendar:event:alarm:created`,
// `…:updated` and `…:request` make or change an event's alarm rows, `…:deleted` and `…:cancel`
// remove them.

#include <string_view>
#include <vector>

#include "worker/amqp/consumer.hpp"
#include "worker/services/alarm_rows.hpp"

namespace twake::amqp {

// Throws PoisonMessage when the body is not an object with a string `eventPath` of the form
// /calendars/<home>/<calendar>/<object>. The UID and whether there is a VALARM come from
// `rawEvent` when present, else from the jCal `event`.
services::AlarmMessage parse_alarm_message(std::string_view body);

// `rows` outlives the consumers.
std::vector<Consumer> event_alarm_consumers(const services::AlarmRows& rows);

}  // namespace twake::amqp
