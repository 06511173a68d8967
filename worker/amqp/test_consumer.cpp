#include "worker/amqp/test_consumer.hpp"

#include <cjson/cJSON.h>

#include "shared/json/json.hpp"

namespace twake::amqp {

namespace {

HandlerOutcome judge(const Delivery& delivery) {
    auto json = json::Json::parse(delivery.body);
    if (!json || !cJSON_IsObject(json->get())) {
        throw PoisonMessage("not a JSON object");
    }
    if (auto why = json::string_member(json->get(), "poison")) {
        return HandlerOutcome::poison(*why);
    }
    auto failures = json::number_member(json->get(), "failures");
    if (failures && delivery.attempt <= *failures) {
        return HandlerOutcome::retryable("test failure " + std::to_string(delivery.attempt));
    }
    return HandlerOutcome::done();
}

runtime::Awaitable<HandlerOutcome> handle(const Delivery& delivery) {
    co_return judge(delivery);
}

}  // namespace

Consumer test_consumer() {
    return {with_colon_dead_letter("twake:test:consumer", "tcalendar:test:consumer"), 16, handle};
}

}  // namespace twake::amqp
