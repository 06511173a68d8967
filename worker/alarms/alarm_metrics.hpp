#pragma once

// The alarm scheduler's metrics (docs/operate.md): rows pending and due, alarms sent, failed
// and skipped, how late they went out, and what a tick costs.

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <chrono>
#include <string_view>

namespace twake::alarms {

class AlarmMetrics {
  public:
    explicit AlarmMetrics(prometheus::Registry& registry);

    // Every row stored (counted once a minute), and those due at the last tick.
    void pending(int64_t rows);
    void due(int64_t rows);
    // `action` EMAIL or DISPLAY; `lateness` from the alarm's time to its send.
    void sent(std::string_view action, std::chrono::milliseconds lateness);
    void failed(std::string_view action);
    // Not sent, by reason: `leased` (another node), `past` (the event started), `mail_off`,
    // `gone` (the row changed meanwhile).
    void skipped(std::string_view reason);
    void tick(std::chrono::nanoseconds duration);

  private:
    prometheus::Gauge& pending_;
    prometheus::Gauge& due_;
    prometheus::Family<prometheus::Counter>& sent_;
    prometheus::Family<prometheus::Counter>& failed_;
    prometheus::Family<prometheus::Counter>& skipped_;
    prometheus::Histogram& lateness_;
    prometheus::Histogram& tick_;
};

}  // namespace twake::alarms
