#include "worker/amqp/resource_booking.hpp"

#include <cjson/cJSON.h>

#include <stdexcept>

#include "shared/crypto/digest.hpp"
#include "shared/json/json.hpp"
#include "worker/mail/mail_templates.hpp"

namespace twake::amqp {

namespace {

const std::string kAccepted = "ACCEPTED";
const std::string kDeclined = "DECLINED";

std::string required_string(const cJSON* object, const char* key) {
    auto value = json::string_member(object, key);
    if (!value || value->empty()) {
        throw PoisonMessage(std::string("`") + key + "` is missing or not a string");
    }
    return *value;
}

// A mail that can never be written is poison; what else fails may work later.
template <class Work>
runtime::Awaitable<HandlerOutcome> handle(const Work& work) {
    try {
        co_await work();
    } catch (const mail::TemplateError& e) {
        throw PoisonMessage(std::string("mail template: ") + e.what());
    } catch (const std::invalid_argument& e) {
        throw PoisonMessage(std::string("the mail cannot be written: ") + e.what());
    }
    co_return HandlerOutcome::done();
}

runtime::Awaitable<HandlerOutcome> on_request(const services::ResourceBookings& bookings,
                                              const Delivery& delivery) {
    const services::ResourceEvent request = parse_resource_message(delivery.body);
    auto work = [&bookings, &request] { return bookings.requested(request); };
    co_return co_await handle(work);
}

runtime::Awaitable<HandlerOutcome> on_answer(const services::ResourceBookings& bookings,
                                             const std::string& partstat,
                                             const Delivery& delivery) {
    const services::ResourceEvent answer = parse_resource_message(delivery.body);
    auto work = [&bookings, &answer, &partstat] { return bookings.answered(answer, partstat); };
    co_return co_await handle(work);
}

}  // namespace

services::ResourceEvent parse_resource_message(std::string_view body) {
    auto doc = json::Json::parse(body);
    if (!doc || !cJSON_IsObject(doc->get())) {
        throw PoisonMessage("not a JSON object");
    }
    services::ResourceEvent out;
    out.resource_id = required_string(doc->get(), "resourceId");
    out.event_id = required_string(doc->get(), "eventId");
    if (out.event_id.ends_with(".ics")) {
        out.event_id.resize(out.event_id.size() - 4);
    }
    try {
        out.event = mail::read_first_event(required_string(doc->get(), "ics"));
    } catch (const std::invalid_argument& e) {
        throw PoisonMessage(std::string("`ics` holds no event: ") + e.what());
    }
    out.digest = crypto::hex(crypto::sha256(body));
    return out;
}

Consumer resource_request_consumer(const services::ResourceBookings& bookings) {
    return {with_colon_dead_letter("resource:calendar:event:created",
                                   "resource:tcalendar:event:created"),
            16, [&bookings](const Delivery& delivery) { return on_request(bookings, delivery); }};
}

Consumer resource_answer_consumer(const services::ResourceBookings& bookings, bool accepted) {
    const std::string answer = accepted ? "accepted" : "declined";
    const std::string& partstat = accepted ? kAccepted : kDeclined;  // outlives every handler
    return {with_colon_dead_letter("resource:calendar:event:" + answer,
                                   "resource:tcalendar:event:" + answer),
            16, [&bookings, &partstat](const Delivery& delivery) {
                return on_answer(bookings, partstat, delivery);
            }};
}

}  // namespace twake::amqp
