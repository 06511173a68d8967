#pragma once

// What a consumer's handler says about one message (docs/reference/rabbitmq.md §6.1).

#include <exception>
#include <stdexcept>
#include <string>

namespace twake::amqp {

struct HandlerOutcome {
    enum class Kind {
        Done,       // the effect is durable: acknowledge
        Retryable,  // a dependency failed: try again later
        Poison,     // the message can never be handled: dead-letter at once
    };
    Kind kind = Kind::Done;
    std::string reason;

    static HandlerOutcome done() { return {Kind::Done, {}}; }
    static HandlerOutcome retryable(std::string reason) {
        return {Kind::Retryable, std::move(reason)};
    }
    static HandlerOutcome poison(std::string reason) { return {Kind::Poison, std::move(reason)}; }
};

// Thrown by a handler (or the parsing it calls) for a message that is malformed.
class PoisonMessage : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// The outcome of a handler that threw: PoisonMessage is poison, anything else retryable.
HandlerOutcome classify(std::exception_ptr error);

}  // namespace twake::amqp
