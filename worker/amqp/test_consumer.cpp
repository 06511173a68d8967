#include "worker/amqp/test_consumer.hpp"

#include <cjson/cJSON.h>

#include "shared/json/json.hpp"

namespace twake::amqp {

namespace {

constexpr const char* kExchange = "twake:test:consumer";

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
    if (auto copies = json::number_member(json->get(), "copies"); copies && *copies > 0) {
        // A fan-out: the copies are plain objects, so they end there.
        std::vector<Publication> publications(static_cast<std::size_t>(*copies),
                                              Publication{kExchange, "{}"});
        return HandlerOutcome::done_after_publishing(std::move(publications));
    }
    return HandlerOutcome::done();
}

runtime::Awaitable<HandlerOutcome> handle(const Delivery& delivery) {
    co_return judge(delivery);
}

}  // namespace

Consumer test_consumer() {
    return {with_colon_dead_letter(kExchange, "tcalendar:test:consumer"), 16, handle};
}

}  // namespace twake::amqp
