#include "worker/alarms/alarm_metrics.hpp"

#include <string>

namespace twake::alarms {

namespace {

const prometheus::Histogram::BucketBoundaries kLateness{0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900};
const prometheus::Histogram::BucketBoundaries kTick{0.001, 0.005, 0.01, 0.05, 0.1,
                                                    0.5,   1,     5,    30,   120};

}  // namespace

AlarmMetrics::AlarmMetrics(prometheus::Registry& registry)
    : pending_(prometheus::BuildGauge()
                   .Name("tcal_alarms_pending")
                   .Help("Alarm rows stored, counted once a minute")
                   .Register(registry)
                   .Add({})),
      due_(prometheus::BuildGauge()
               .Name("tcal_alarms_due")
               .Help("Alarm rows due at the last tick (at most one batch)")
               .Register(registry)
               .Add({})),
      sent_(prometheus::BuildCounter()
                .Name("tcal_alarms_sent_total")
                .Help("Alarms sent, by action")
                .Register(registry)),
      failed_(prometheus::BuildCounter()
                  .Name("tcal_alarms_failed_total")
                  .Help("Alarms whose sending failed (tried again at the next tick), by action")
                  .Register(registry)),
      skipped_(prometheus::BuildCounter()
                   .Name("tcal_alarms_skipped_total")
                   .Help("Due alarms not sent, by reason")
                   .Register(registry)),
      lateness_(prometheus::BuildHistogram()
                    .Name("tcal_alarm_lateness_seconds")
                    .Help("Time from an alarm's due time to its sending")
                    .Register(registry)
                    .Add({}, kLateness)),
      tick_(prometheus::BuildHistogram()
                .Name("tcal_alarm_tick_duration_seconds")
                .Help("Time of one scheduler tick")
                .Register(registry)
                .Add({}, kTick)) {}

void AlarmMetrics::pending(int64_t rows) {
    pending_.Set(static_cast<double>(rows));
}

void AlarmMetrics::due(int64_t rows) {
    due_.Set(static_cast<double>(rows));
}

void AlarmMetrics::sent(std::string_view action, std::chrono::milliseconds lateness) {
    sent_.Add({{"action", std::string(action)}}).Increment();
    lateness_.Observe(static_cast<double>(lateness.count()) / 1000.0);
}

void AlarmMetrics::failed(std::string_view action) {
    failed_.Add({{"action", std::string(action)}}).Increment();
}

void AlarmMetrics::skipped(std::string_view reason) {
    skipped_.Add({{"reason", std::string(reason)}}).Increment();
}

void AlarmMetrics::tick(std::chrono::nanoseconds duration) {
    tick_.Observe(std::chrono::duration<double>(duration).count());
}

}  // namespace twake::alarms
