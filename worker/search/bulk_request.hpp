#pragma once

// The bulk and delete-by-query requests of event indexing, and what OpenSearch answered for
// each document (docs/reference/search.md §5).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "worker/search/event_document.hpp"

namespace twake::search {

// The NDJSON body of `POST /_bulk`: a plain `index` for a document without SEQUENCE, an
// `update` whose script writes only a higher SEQUENCE (upsert when absent) otherwise.
// The reindex task writes what the DAV server holds now, whatever the index has: without
// the guard (`SequenceGuard::Off`) every document is a plain `index`.
enum class SequenceGuard { On, Off };
std::string bulk_body(const std::vector<EventDocument>& documents, const std::string& alias,
                      SequenceGuard guard = SequenceGuard::On);

struct BulkItem {
    enum class Kind {
        Written,    // created, updated
        Unchanged,  // noop: an older or equal SEQUENCE
        Retryable,  // 429, 5xx: OpenSearch may take it later
        Refused,    // another 4xx: it never will (a document the mapping refuses)
    };
    Kind kind = Kind::Retryable;
    std::string error;  // Retryable, Refused: OpenSearch's status and reason
};

// One item per action, in order. A response that cannot be read, or has fewer items than
// `count`, gives Retryable items.
std::vector<BulkItem> bulk_items(std::string_view response, std::size_t count);

// Whether an HTTP status may succeed later (429, 5xx).
bool retryable_status(long status);

// The search finding every document of these (calendar, UID) pairs except the ids in `keep`
// (the documents a message just wrote, for pruning a recurring event's stale occurrences):
// ids and routing only. The documents found are then deleted in one bulk request (the
// delete-by-query API is a module a cluster may lack).
struct EventKey {
    std::string calendar_url;
    std::string uid;
    std::vector<std::string> keep;
};
std::string matching_ids_body(const std::vector<EventKey>& events);

struct DocumentRef {
    std::string id;
    std::string routing;
};
// The hits of that search; nullopt when the answer cannot be read.
std::optional<std::vector<DocumentRef>> matching_ids(std::string_view response);
// The search finding the documents of calendar home `home` except the ids in `keep` (the
// reindex task: what a user's calendars no longer hold), ids and routing only, at most
// 10,000 per answer.
std::string stale_documents_body(const std::string& home, const std::vector<std::string>& keep);
// The NDJSON body of `POST /_bulk` deleting them.
std::string bulk_delete_body(const std::vector<DocumentRef>& documents, const std::string& alias);

}  // namespace twake::search
