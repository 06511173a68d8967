#include "worker/search/reindex_writer.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <thread>

namespace twake::search {

namespace {

// Tries of a bulk request whose items OpenSearch may take later (429, 5xx), and the pause
// before the second; it doubles after.
constexpr int kTries = 3;
constexpr std::chrono::milliseconds kFirstPause{500};

}  // namespace

std::vector<BulkItem> ReindexWriter::write(const std::vector<EventDocument>& documents) const {
    std::vector<BulkItem> items(documents.size());
    std::vector<std::size_t> pending(documents.size());
    for (std::size_t i = 0; i < documents.size(); ++i) {
        pending[i] = i;
    }
    auto pause = kFirstPause;
    for (int attempt = 1; attempt <= kTries && !pending.empty(); ++attempt) {
        if (attempt > 1) {
            std::this_thread::sleep_for(pause);  // a blocking-pool thread: the task's own
            pause *= 2;
        }
        std::vector<EventDocument> batch;
        for (std::size_t i : pending) {
            batch.push_back(documents[i]);
        }
        OpenSearchRequest request{.method = "POST",
                                  .target = "/_bulk",
                                  .body = bulk_body(batch, config_.write_alias, SequenceGuard::Off),
                                  .content_type = "application/x-ndjson"};
        auto started = std::chrono::steady_clock::now();
        std::vector<BulkItem> answered;
        try {
            net::HttpResponse response = client_.send_blocking(request);
            answered = bulk_items(response.status == 200 ? response.body : "", batch.size());
            if (response.status != 200) {
                for (BulkItem& item : answered) {
                    item.kind = retryable_status(response.status) ? BulkItem::Kind::Retryable
                                                                  : BulkItem::Kind::Refused;
                    item.error = "OpenSearch answered " + std::to_string(response.status);
                }
            }
        } catch (const net::HttpError& e) {
            answered.assign(batch.size(), BulkItem{BulkItem::Kind::Retryable, e.what()});
        }
        bool ok = std::none_of(answered.begin(), answered.end(), [](const BulkItem& item) {
            return item.kind == BulkItem::Kind::Retryable;
        });
        metrics_.request("bulk", ok ? "ok" : "failed", std::chrono::steady_clock::now() - started);
        std::vector<std::size_t> again;
        for (std::size_t k = 0; k < pending.size(); ++k) {
            items[pending[k]] = answered[k];
            if (answered[k].kind == BulkItem::Kind::Retryable) {
                again.push_back(pending[k]);
            }
        }
        pending = std::move(again);
    }
    for (const BulkItem& item : items) {
        switch (item.kind) {
            case BulkItem::Kind::Written:
            case BulkItem::Kind::Unchanged:
                metrics_.documents("written", 1);
                break;
            case BulkItem::Kind::Retryable:
                metrics_.documents("retryable", 1);
                break;
            case BulkItem::Kind::Refused:
                metrics_.documents("refused", 1);
                break;
        }
    }
    return items;
}

std::size_t ReindexWriter::prune(const std::string& home,
                                 const std::vector<std::string>& keep) const {
    std::size_t deleted = 0;
    // At most 10,000 ids an answer: the deletions are refreshed before the next search, which
    // then no longer finds them. Bounded, in case OpenSearch kept answering the same ids.
    for (int round = 0; round < 1000; ++round) {
        OpenSearchRequest search{.method = "POST",
                                 .target = "/" + config_.read_alias + "/_search?routing=" + home,
                                 .body = stale_documents_body(home, keep)};
        net::HttpResponse found = client_.send_blocking(search);
        auto stale = found.status == 200 ? matching_ids(found.body) : std::nullopt;
        if (!stale) {
            throw std::runtime_error("OpenSearch answered " + std::to_string(found.status) +
                                     " to the search of stale documents");
        }
        if (stale->empty()) {
            return deleted;
        }
        OpenSearchRequest removal{.method = "POST",
                                  .target = "/_bulk?refresh=wait_for",
                                  .body = bulk_delete_body(*stale, config_.write_alias),
                                  .content_type = "application/x-ndjson"};
        net::HttpResponse removed = client_.send_blocking(removal);
        if (removed.status != 200) {
            throw std::runtime_error("OpenSearch answered " + std::to_string(removed.status) +
                                     " to the deletion of stale documents");
        }
        deleted += stale->size();
        metrics_.deletions(static_cast<double>(stale->size()));
        if (stale->size() < 10000) {
            return deleted;
        }
    }
    throw std::runtime_error("stale documents kept coming back after their deletion");
}

}  // namespace twake::search
