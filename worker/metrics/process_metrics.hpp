#pragma once

// The standard `process_*` metrics (resident memory, CPU, file descriptors, start time)
// read from /proc at scrape time; they replace upstream's `jvm_*` gauges.

#include <prometheus/collectable.h>

namespace twake::metrics {

class ProcessMetrics : public prometheus::Collectable {
  public:
    std::vector<prometheus::MetricFamily> Collect() const override;
};

}  // namespace twake::metrics
