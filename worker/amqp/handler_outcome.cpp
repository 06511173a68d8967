#include "worker/amqp/handler_outcome.hpp"

namespace twake::amqp {

HandlerOutcome classify(std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const PoisonMessage& e) {
        return HandlerOutcome::poison(e.what());
    } catch (const std::exception& e) {
        return HandlerOutcome::retryable(e.what());
    } catch (...) {
        return HandlerOutcome::retryable("unknown error");
    }
}

}  // namespace twake::amqp
