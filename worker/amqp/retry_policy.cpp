#include "worker/amqp/retry_policy.hpp"

#include <algorithm>

namespace twake::amqp {

std::chrono::milliseconds RetryPolicy::delay_before(int retry) const {
    std::chrono::milliseconds delay = first_delay;
    for (int i = 1; i < retry && delay < max_delay; ++i) {
        delay *= 2;  // a loop, not a shift: no overflow for a large retry number
    }
    return std::min(delay, max_delay);
}

}  // namespace twake::amqp
