#include "worker/search/indexing_metrics.hpp"

#include <string>

namespace twake::search {

IndexingMetrics::IndexingMetrics(prometheus::Registry& registry)
    : documents_(prometheus::BuildCounter()
                     .Name("tcal_search_documents_total")
                     .Help("Event documents sent to OpenSearch, by result")
                     .Register(registry)),
      deletions_(prometheus::BuildCounter()
                     .Name("tcal_search_deleted_events_total")
                     .Help("Events (UIDs of deleted messages) removed from OpenSearch")
                     .Register(registry)),
      requests_(prometheus::BuildHistogram()
                    .Name("tcal_search_request_duration_seconds")
                    .Help("Duration of the indexing requests to OpenSearch, by kind and outcome")
                    .Register(registry)) {}

void IndexingMetrics::documents(std::string_view result, double count) {
    documents_.Add({{"result", std::string(result)}}).Increment(count);
}

void IndexingMetrics::deletions(double count) {
    deletions_.Add({}).Increment(count);
}

void IndexingMetrics::request(std::string_view kind, std::string_view outcome,
                              std::chrono::nanoseconds took) {
    static const prometheus::Histogram::BucketBoundaries kBuckets{
        0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    requests_.Add({{"kind", std::string(kind)}, {"outcome", std::string(outcome)}}, kBuckets)
        .Observe(std::chrono::duration<double>(took).count());
}

}  // namespace twake::search
