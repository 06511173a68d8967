#include "worker/amqp/event_indexing.hpp"

#include "worker/search/event_document.hpp"

namespace twake::amqp {

namespace {

// Messages of a queue handled at once, so also the most one bulk request carries per queue.
constexpr int kPrefetch = 256;

HandlerOutcome outcome_of(const search::IndexingResult& result) {
    switch (result.kind) {
        case search::IndexingResult::Kind::Done:
            return HandlerOutcome::done();
        case search::IndexingResult::Kind::Refused:
            return HandlerOutcome::poison("OpenSearch refused a document: " + result.error);
        case search::IndexingResult::Kind::Retryable:
            break;
    }
    return HandlerOutcome::retryable(result.error);
}

runtime::Awaitable<HandlerOutcome> write(search::EventIndexer& indexer, const Delivery& delivery) {
    std::vector<search::EventDocument> documents;
    try {
        documents = search::documents_of_message(delivery.body);
    } catch (const search::InvalidEventMessage& e) {
        throw PoisonMessage(e.what());
    }
    if (documents.empty()) {
        co_return HandlerOutcome::done();  // no VEVENT (a VTODO): nothing to index
    }
    co_return outcome_of(co_await indexer.index(documents));
}

runtime::Awaitable<HandlerOutcome> remove(search::EventIndexer& indexer, const Delivery& delivery) {
    search::DeletedEvents deleted;
    try {
        deleted = search::deleted_events_of_message(delivery.body);
    } catch (const search::InvalidEventMessage& e) {
        throw PoisonMessage(e.what());
    }
    if (deleted.uids.empty()) {
        co_return HandlerOutcome::done();
    }
    co_return outcome_of(co_await indexer.remove(deleted));
}

}  // namespace

std::vector<Consumer> event_indexing_consumers(search::EventIndexer& indexer) {
    auto* target = &indexer;
    std::vector<Consumer> consumers;
    for (const char* kind : {"created", "updated"}) {
        consumers.push_back(
            {with_dash_dead_letter(std::string("calendar:event:") + kind,
                                   std::string("tcalendar:event:") + kind + ":search"),
             kPrefetch, [target](const Delivery& d) { return write(*target, d); }});
    }
    consumers.push_back(
        {with_dash_dead_letter("calendar:event:deleted", "tcalendar:event:deleted:search"),
         kPrefetch, [target](const Delivery& d) { return remove(*target, d); }});
    return consumers;
}

}  // namespace twake::amqp
