// The bodies of esn-sabre's RabbitMQ messages and of the push bus between worker nodes: each
// parser refuses what it cannot read with its documented error (the message is poison).

#include <stdexcept>
#include <string>

#include "t/fuzz/fuzz_target.hpp"
#include "worker/amqp/event_alarm.hpp"
#include "worker/amqp/handler_outcome.hpp"
#include "worker/amqp/itip_local_delivery.hpp"
#include "worker/amqp/push_notifications.hpp"
#include "worker/amqp/resource_booking.hpp"
#include "worker/mail/notification_mail.hpp"
#include "worker/realtime/push_event.hpp"
#include "worker/search/event_document.hpp"

TWAKE_FUZZ_TARGET(amqp_bodies) {
    twake::fuzz::refused_as<twake::search::InvalidEventMessage>(
        [&] { (void)twake::search::documents_of_message(input); });
    twake::fuzz::refused_as<twake::search::InvalidEventMessage>(
        [&] { (void)twake::search::deleted_events_of_message(input); });
    twake::fuzz::refused_as<twake::amqp::PoisonMessage>(
        [&] { (void)twake::amqp::parse_alarm_message(input); });
    twake::fuzz::refused_as<twake::amqp::PoisonMessage>([&] {
        auto message = twake::amqp::parse_itip_message(input);
        (void)twake::amqp::skip_reason(message);
    });
    twake::fuzz::refused_as<twake::amqp::PoisonMessage>(
        [&] { (void)twake::amqp::read_event_notification(input); });
    twake::fuzz::refused_as<twake::amqp::PoisonMessage>([&] {
        (void)twake::amqp::read_calendar_list_notification("calendar:calendar:created", input);
    });
    twake::fuzz::refused_as<twake::amqp::PoisonMessage>(
        [&] { (void)twake::amqp::parse_resource_message(input); });
    twake::fuzz::refused_as<std::invalid_argument>(
        [&] { (void)twake::mail::parse_notification(input); });
    (void)twake::realtime::decode_envelope(input);
}
