#include "worker/realtime/connection.hpp"

namespace twake::realtime {

std::string_view close_reason_label(CloseReason reason) {
    switch (reason) {
        case CloseReason::Client:
            return "client";
        case CloseReason::Idle:
            return "idle";
        case CloseReason::SlowConsumer:
            return "slow_consumer";
        case CloseReason::TooBig:
            return "too_big";
        case CloseReason::Lifetime:
            return "lifetime";
        case CloseReason::Revoked:
            return "revoked";
        case CloseReason::Shutdown:
            return "shutdown";
        case CloseReason::Error:
            return "error";
    }
    return "error";
}

}  // namespace twake::realtime
