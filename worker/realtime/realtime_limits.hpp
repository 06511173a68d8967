#pragma once

// The `websocket.*` keys (docs/configuration.md, docs/reference/realtime.md §5).

#include <chrono>
#include <cstddef>

namespace twake::realtime {

struct RealtimeLimits {
    std::chrono::milliseconds ping_interval{5000};
    std::chrono::milliseconds idle_timeout{30000};
    std::size_t max_message_size = 65536;
    std::size_t max_registrations = 1000;
    std::size_t outbound_queue_max = 256;
    std::size_t max_connections = 10000;
    std::chrono::milliseconds max_lifetime{12 * 3600 * 1000};  // 0: none
    std::chrono::milliseconds push_debounce{100};
    bool push_consumers = true;
    // redis.properties sets upstream's eventBus.redis.* keys, which the push bus replaces
    // (logged once at start).
    bool redis_event_bus_keys = false;
};

}  // namespace twake::realtime
