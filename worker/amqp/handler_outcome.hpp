#pragma once

// What a consumer's handler says about one message (docs/reference/rabbitmq.md §6.1).

#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

namespace twake::amqp {

// A message a handler asks to publish (persistent, application/json, routing key "").
struct Publication {
    std::string exchange;
    std::string body;
};

struct HandlerOutcome {
    enum class Kind {
        Done,       // the effect is durable: acknowledge
        Retryable,  // a dependency failed: try again later
        Poison,     // the message can never be handled: dead-letter at once
    };
    Kind kind = Kind::Done;
    std::string reason;
    // Done only: published and committed before the message is acknowledged (a fan-out, a
    // notification), so that none is lost; a failure to publish redelivers the message.
    std::vector<Publication> publications;

    static HandlerOutcome done() { return {Kind::Done, {}, {}}; }
    static HandlerOutcome done_after_publishing(std::vector<Publication> publications) {
        return {Kind::Done, {}, std::move(publications)};
    }
    static HandlerOutcome retryable(std::string reason) {
        return {Kind::Retryable, std::move(reason), {}};
    }
    static HandlerOutcome poison(std::string reason) {
        return {Kind::Poison, std::move(reason), {}};
    }
};

// Thrown by a handler (or the parsing it calls) for a message that is malformed.
class PoisonMessage : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// The outcome of a handler that threw: PoisonMessage is poison, anything else retryable.
HandlerOutcome classify(std::exception_ptr error);

}  // namespace twake::amqp
