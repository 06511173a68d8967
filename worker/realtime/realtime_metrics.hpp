#pragma once

// The real-time side's metrics (docs/operate.md §3.2): sockets, registrations, pushes and the
// push bus.

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <chrono>
#include <string_view>

#include "worker/realtime/connection.hpp"

namespace twake::realtime {

class RealtimeMetrics {
  public:
    explicit RealtimeMetrics(prometheus::Registry& registry);

    void connections(std::size_t open);
    void closed(CloseReason reason);
    void registrations(std::size_t calendars, std::size_t address_books, std::size_t displays);
    // result: registered, forbidden, not_found, error, limit
    void registered(std::string_view result);
    // type: sync_token, addressbook, calendar_list, alarm
    void pushed(std::string_view type);
    // reason: no_access, dav_error, slow_consumer, dependency
    void dropped(std::string_view reason);
    void token_fetched(std::string_view kind, std::chrono::nanoseconds duration);

    void bus_published();
    void bus_received();
    void bus_error();

  private:
    prometheus::Gauge& connections_;
    prometheus::Family<prometheus::Counter>& closed_;
    prometheus::Family<prometheus::Gauge>& registrations_;
    prometheus::Family<prometheus::Counter>& register_;
    prometheus::Family<prometheus::Counter>& pushes_sent_;
    prometheus::Family<prometheus::Counter>& pushes_dropped_;
    prometheus::Family<prometheus::Histogram>& token_fetch_;
    prometheus::Counter& bus_published_;
    prometheus::Counter& bus_received_;
    prometheus::Counter& bus_errors_;
};

}  // namespace twake::realtime
