#pragma once

// Metrics of event indexing (docs/operate.md §3.2). prometheus-cpp's metrics are thread-safe.

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <chrono>
#include <string_view>

namespace twake::search {

class IndexingMetrics {
  public:
    explicit IndexingMetrics(prometheus::Registry& registry);

    // `result`: written, unchanged, retryable, refused.
    void documents(std::string_view result, double count);
    void deletions(double count);
    // One bulk or delete-by-query request; `outcome`: ok or failed.
    void request(std::string_view kind, std::string_view outcome, std::chrono::nanoseconds took);

  private:
    prometheus::Family<prometheus::Counter>& documents_;
    prometheus::Family<prometheus::Counter>& deletions_;
    prometheus::Family<prometheus::Histogram>& requests_;
};

}  // namespace twake::search
