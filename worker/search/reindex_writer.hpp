#pragma once

// What the reindex task writes to the events index (docs/reference/search.md §8): the
// documents of a calendar home's objects as the DAV server holds them now, then the removal
// of that home's documents it did not rewrite. Blocking: runs on the blocking pool.

#include <string>
#include <vector>

#include "worker/search/bulk_request.hpp"
#include "worker/search/event_document.hpp"
#include "worker/search/indexing_metrics.hpp"
#include "worker/search/opensearch_client.hpp"
#include "worker/search/opensearch_config.hpp"

namespace twake::search {

class ReindexWriter {
  public:
    // All outlive the writer.
    ReindexWriter(const OpenSearchClient& client, const EventsIndexConfig& config,
                  IndexingMetrics& metrics)
        : client_(client), config_(config), metrics_(metrics) {}

    // Writes the documents without the sequence guard; one item per document, in order
    // (Written or Refused; Retryable when OpenSearch still refused after a few tries).
    std::vector<BulkItem> write(const std::vector<EventDocument>& documents) const;

    // Deletes the documents of `home` whose ids are not in `keep`; returns how many went.
    // Throws net::HttpError or std::runtime_error when OpenSearch cannot do it.
    std::size_t prune(const std::string& home, const std::vector<std::string>& keep) const;

  private:
    const OpenSearchClient& client_;
    const EventsIndexConfig& config_;
    IndexingMetrics& metrics_;
};

}  // namespace twake::search
