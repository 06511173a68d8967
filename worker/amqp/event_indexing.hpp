#pragma once

// The three indexing consumers (docs/reference/search.md §5): `tcalendar:event:created:search`
// and `…:updated:search` write the documents of their messages, `…:deleted:search` removes
// them, all through one EventIndexer, which batches what arrives together.

#include <vector>

#include "worker/amqp/consumer.hpp"
#include "worker/search/event_indexer.hpp"

namespace twake::amqp {

// The indexer outlives the consumers.
std::vector<Consumer> event_indexing_consumers(search::EventIndexer& indexer);

}  // namespace twake::amqp
