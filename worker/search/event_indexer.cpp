#include "worker/search/event_indexer.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <set>

#include "shared/json/json.hpp"
#include "shared/log/log.hpp"
#include "worker/search/bulk_request.hpp"

namespace twake::search {

namespace {

namespace asio = boost::asio;

const log::Logger kLog("worker.search");

// Messages in one bulk request at most (their documents, usually one each, in one body).
constexpr std::size_t kMaxBatch = 512;
// How long a batch OpenSearch cannot take (unreachable, 429, 5xx) is tried again, with backoff
// (0.5 s doubled up to 8 s), before its messages are answered retryable.
constexpr std::chrono::seconds kHoldFor{60};

IndexingResult retryable(std::string error) {
    return {IndexingResult::Kind::Retryable, std::move(error)};
}

// The `routing` parameter naming each shard key once.
std::string routings(const std::vector<std::string>& values) {
    std::set<std::string> unique(values.begin(), values.end());
    std::string out;
    for (const auto& v : unique) {
        out += (out.empty() ? "" : ",") + v;
    }
    return out;
}

}  // namespace

runtime::Awaitable<IndexingResult> EventIndexer::index(
    const std::vector<EventDocument>& documents) {
    auto waiter = std::make_shared<Waiter>(io_);
    waiter->documents = &documents;
    co_return co_await enqueue(waiter);
}

runtime::Awaitable<IndexingResult> EventIndexer::remove(const DeletedEvents& deleted) {
    auto waiter = std::make_shared<Waiter>(io_);
    waiter->deleted = &deleted;
    co_return co_await enqueue(waiter);
}

runtime::Awaitable<IndexingResult> EventIndexer::enqueue(const std::shared_ptr<Waiter>& waiter) {
    waiter->wake.expires_at(asio::steady_timer::time_point::max());
    pending_.push_back(waiter);
    if (!flushing_) {
        flushing_ = true;
        asio::co_spawn(io_, flush_loop(), asio::detached);
    }
    while (!waiter->finished) {
        boost::system::error_code ec;
        co_await waiter->wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    co_return waiter->result;
}

runtime::Awaitable<void> EventIndexer::flush_loop() {
    // Deliveries of the same moment join the first batch.
    co_await asio::post(io_, asio::use_awaitable);
    while (!pending_.empty()) {
        std::vector<std::shared_ptr<Waiter>> batch;
        while (!pending_.empty() && batch.size() < kMaxBatch) {
            batch.push_back(std::move(pending_.front()));
            pending_.pop_front();
        }
        co_await flush_until_answered(batch);
        for (auto& w : batch) {
            w->finished = true;
            w->wake.cancel();
        }
    }
    flushing_ = false;
}

runtime::Awaitable<void> EventIndexer::flush_until_answered(
    std::vector<std::shared_ptr<Waiter>>& batch) {
    auto give_up = std::chrono::steady_clock::now() + kHoldFor;
    std::chrono::milliseconds delay{500};
    std::vector<std::shared_ptr<Waiter>> todo = batch;
    for (;;) {
        for (auto& w : todo) {
            w->result = {};
        }
        try {
            co_await flush(todo);
        } catch (const std::exception& e) {
            for (auto& w : todo) {
                if (w->result.kind == IndexingResult::Kind::Done) {
                    w->result = retryable(e.what());
                }
            }
        }
        std::vector<std::shared_ptr<Waiter>> again;
        for (auto& w : todo) {
            if (w->result.kind == IndexingResult::Kind::Retryable) {
                again.push_back(w);
            }
        }
        if (again.empty() || std::chrono::steady_clock::now() + delay > give_up) {
            co_return;
        }
        kLog.warn("OpenSearch did not take the batch; trying again",
                  {{"messages", std::to_string(again.size())}, {"error", again[0]->result.error}});
        asio::steady_timer pause(io_, delay);
        boost::system::error_code ec;
        co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        delay = std::min<std::chrono::milliseconds>(delay * 2, std::chrono::seconds(8));
        todo = std::move(again);
    }
}

runtime::Awaitable<void> EventIndexer::flush(std::vector<std::shared_ptr<Waiter>>& batch) {
    if (!setup_.done()) {
        auto run = [&setup = setup_] {
            setup.run();
            return true;
        };
        co_await blocking_.run(run, std::chrono::seconds(60));
    }
    co_await write_documents(batch);
    co_await delete_events(batch);
}

runtime::Awaitable<net::HttpResponse> EventIndexer::timed(const char* kind,
                                                          const OpenSearchRequest& request) {
    auto started = std::chrono::steady_clock::now();
    try {
        net::HttpResponse response = co_await client_.send(request);
        metrics_.request(kind, response.status == 200 ? "ok" : "failed",
                         std::chrono::steady_clock::now() - started);
        co_return response;
    } catch (...) {
        metrics_.request(kind, "failed", std::chrono::steady_clock::now() - started);
        throw;
    }
}

runtime::Awaitable<void> EventIndexer::write_documents(
    std::vector<std::shared_ptr<Waiter>>& batch) {
    std::vector<EventDocument> documents;
    for (auto& w : batch) {
        if (w->documents != nullptr) {
            documents.insert(documents.end(), w->documents->begin(), w->documents->end());
        }
    }
    if (documents.empty()) {
        co_return;
    }
    OpenSearchRequest bulk{"POST", "/_bulk", bulk_body(documents, config_.write_alias),
                           "application/x-ndjson"};
    net::HttpResponse response = co_await timed("bulk", bulk);
    std::vector<BulkItem> items;
    if (response.status == 200) {
        items = bulk_items(response.body, documents.size());
    } else {
        std::string error = "bulk request answered " + std::to_string(response.status) + " " +
                            response.body.substr(0, 300);
        items.assign(documents.size(),
                     BulkItem{retryable_status(response.status) ? BulkItem::Kind::Retryable
                                                                : BulkItem::Kind::Refused,
                              error});
    }
    std::vector<EventKey> prune;
    std::vector<std::string> prune_routing;
    std::vector<Waiter*> pruned_by;
    std::size_t at = 0;
    for (auto& w : batch) {
        if (w->documents == nullptr) {
            continue;
        }
        bool master_written = false;
        for (const EventDocument& d : *w->documents) {
            const BulkItem& item = items[at++];
            switch (item.kind) {
                case BulkItem::Kind::Written:
                    metrics_.documents("written", 1);
                    master_written = master_written || d.recurrent_master;
                    break;
                case BulkItem::Kind::Unchanged:
                    metrics_.documents("unchanged", 1);
                    break;
                case BulkItem::Kind::Retryable:
                    metrics_.documents("retryable", 1);
                    if (w->result.kind == IndexingResult::Kind::Done) {
                        w->result = retryable(item.error);
                    }
                    break;
                case BulkItem::Kind::Refused:
                    metrics_.documents("refused", 1);
                    w->result = {IndexingResult::Kind::Refused, d.id + ": " + item.error};
                    break;
            }
        }
        if (master_written && w->result.kind == IndexingResult::Kind::Done) {
            for (const EventDocument& d : *w->documents) {
                if (d.recurrent_master) {
                    EventKey key{d.calendar_url, d.uid, {}};
                    for (const EventDocument& kept : *w->documents) {
                        if (kept.uid == d.uid) {
                            key.keep.push_back(kept.id);
                        }
                    }
                    prune.push_back(std::move(key));
                    prune_routing.push_back(d.routing);
                    pruned_by.push_back(w.get());
                }
            }
        }
    }
    if (!prune.empty()) {
        auto error = co_await delete_matching(prune, prune_routing);
        if (error) {
            for (Waiter* w : pruned_by) {
                w->result = retryable(*error);
            }
        }
    }
}

runtime::Awaitable<void> EventIndexer::delete_events(std::vector<std::shared_ptr<Waiter>>& batch) {
    std::vector<EventKey> keys;
    std::vector<std::string> routing;
    for (auto& w : batch) {
        if (w->deleted != nullptr) {
            for (const auto& uid : w->deleted->uids) {
                keys.push_back(EventKey{w->deleted->path.calendar_url(), uid, {}});
                routing.push_back(w->deleted->path.home);
            }
        }
    }
    if (keys.empty()) {
        co_return;
    }
    auto error = co_await delete_matching(keys, routing);
    if (!error) {
        metrics_.deletions(static_cast<double>(keys.size()));
        co_return;
    }
    for (auto& w : batch) {
        if (w->deleted != nullptr) {
            w->result = retryable(*error);
        }
    }
}

runtime::Awaitable<std::optional<std::string>> EventIndexer::delete_matching(
    const std::vector<EventKey>& keys, const std::vector<std::string>& routing) {
    // Documents written a moment ago are found only once the index is refreshed.
    OpenSearchRequest refresh{"POST", "/" + config_.write_alias + "/_refresh", "", ""};
    net::HttpResponse refreshed = co_await timed("refresh", refresh);
    if (refreshed.status != 200) {
        co_return "refresh answered " + std::to_string(refreshed.status);
    }
    OpenSearchRequest search{"POST",
                             "/" + config_.write_alias + "/_search?routing=" + routings(routing),
                             matching_ids_body(keys), "application/json"};
    net::HttpResponse response = co_await timed("search", search);
    auto found = response.status == 200 ? matching_ids(response.body) : std::nullopt;
    if (!found) {
        co_return "search answered " + std::to_string(response.status) + " " +
            response.body.substr(0, 300);
    }
    if (found->empty()) {
        co_return std::nullopt;
    }
    OpenSearchRequest bulk{"POST", "/_bulk", bulk_delete_body(*found, config_.write_alias),
                           "application/x-ndjson"};
    net::HttpResponse deleted = co_await timed("bulk", bulk);
    if (deleted.status != 200) {
        co_return "bulk delete answered " + std::to_string(deleted.status) + " " +
            deleted.body.substr(0, 300);
    }
    for (const BulkItem& item : bulk_items(deleted.body, found->size())) {
        // A document already gone is what was asked (404 is a refusal to bulk_items).
        if (item.kind == BulkItem::Kind::Retryable) {
            co_return item.error;
        }
    }
    co_return std::nullopt;
}

}  // namespace twake::search
