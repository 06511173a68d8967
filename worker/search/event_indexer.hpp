#pragma once

// Applies the documents of event messages to OpenSearch in batches (docs/reference/search.md
// §5): the messages handled at the same time share one bulk request (and one delete-by-query),
// and each learns, once OpenSearch answered, whether its own documents were acknowledged.
// Runs on the event loop; the requests go through the blocking pool.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "worker/runtime/awaitable.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/search/bulk_request.hpp"
#include "worker/search/event_document.hpp"
#include "worker/search/events_index_setup.hpp"
#include "worker/search/indexing_metrics.hpp"
#include "worker/search/opensearch_client.hpp"

namespace twake::search {

struct IndexingResult {
    enum class Kind { Done, Retryable, Refused };
    Kind kind = Kind::Done;
    std::string error;
};

class EventIndexer {
  public:
    // All outlive the indexer.
    EventIndexer(boost::asio::io_context& io, runtime::BlockingPool& blocking,
                 OpenSearchClient& client, EventsIndexSetup& setup, const EventsIndexConfig& config,
                 IndexingMetrics& metrics)
        : io_(io),
          blocking_(blocking),
          client_(client),
          setup_(setup),
          config_(config),
          metrics_(metrics) {}

    // Writes the documents of one created or updated message (and prunes the stale
    // occurrences of a recurring event whose master was written).
    runtime::Awaitable<IndexingResult> index(const std::vector<EventDocument>& documents);
    // Removes every document of the deleted message's UIDs in its calendar.
    runtime::Awaitable<IndexingResult> remove(const DeletedEvents& deleted);

  private:
    struct Waiter {
        explicit Waiter(boost::asio::io_context& io) : wake(io) {}
        const std::vector<EventDocument>* documents = nullptr;  // index
        const DeletedEvents* deleted = nullptr;                 // remove
        IndexingResult result;
        bool finished = false;
        boost::asio::steady_timer wake;
    };

    boost::asio::io_context& io_;
    runtime::BlockingPool& blocking_;
    OpenSearchClient& client_;
    EventsIndexSetup& setup_;
    const EventsIndexConfig& config_;
    IndexingMetrics& metrics_;
    std::deque<std::shared_ptr<Waiter>> pending_;
    bool flushing_ = false;

    runtime::Awaitable<IndexingResult> enqueue(const std::shared_ptr<Waiter>& waiter);
    runtime::Awaitable<void> flush_loop();
    runtime::Awaitable<void> flush_until_answered(std::vector<std::shared_ptr<Waiter>>& batch);
    runtime::Awaitable<void> flush(std::vector<std::shared_ptr<Waiter>>& batch);
    runtime::Awaitable<void> write_documents(std::vector<std::shared_ptr<Waiter>>& batch);
    runtime::Awaitable<void> delete_events(std::vector<std::shared_ptr<Waiter>>& batch);
    // The error, or nullopt once OpenSearch deleted every document matching `keys`.
    runtime::Awaitable<std::optional<std::string>> delete_matching(
        const std::vector<EventKey>& keys, const std::vector<std::string>& routing);
    runtime::Awaitable<net::HttpResponse> timed(const char* kind, const OpenSearchRequest& request);
};

}  // namespace twake::search
