#pragma once

// The resource consumers (docs/reference/rabbitmq.md §3.6): `resource:tcalendar:event:created`
// accepts an invitation at once or asks the resource's administrators by mail;
// `resource:tcalendar:event:accepted` and `…:declined` tell the organizer the answer.

#include <string_view>

#include "worker/amqp/consumer.hpp"
#include "worker/services/resource_bookings.hpp"

namespace twake::amqp {

// Throws PoisonMessage when the body is not an object with string `resourceId`, `eventId` and
// `ics`, or `ics` has no event. `eventId` loses a `.ics` suffix (an invitation names the
// resource's copy by its file name).
services::ResourceEvent parse_resource_message(std::string_view body);

// `bookings` outlives the consumers.
Consumer resource_request_consumer(const services::ResourceBookings& bookings);
Consumer resource_answer_consumer(const services::ResourceBookings& bookings, bool accepted);

}  // namespace twake::amqp
