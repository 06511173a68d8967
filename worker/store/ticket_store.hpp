#pragma once

// The `auth_tickets` collection (docs/reference/mongodb.md §3): one document per WebSocket
// ticket, {_id: value, username, clientAddress, generatedOn, validUntil} as upstream writes it,
// plus `sid` (ours; upstream's readers ignore it). The TTL index is lazy and FerretDB has none:
// expiry is always checked by the reader.

#include <optional>
#include <string>

#include "worker/store/mongo_pool.hpp"
#include "worker/tickets/ticket.hpp"

namespace twake::store {

// Blocking calls: run them on the blocking pool.
class TicketStore {
  public:
    explicit TicketStore(MongoPool& pool) : pool_(pool) {}

    void insert(const tickets::Ticket& ticket);
    // Deletes `value` if it is `username`'s ticket (one atomic deleteOne); whether it was.
    bool delete_owned(const std::string& value, const std::string& username);
    // Takes the ticket out of the collection (findAndModify with remove: one caller only ever
    // gets it), expired or not.
    std::optional<tickets::Ticket> take(const std::string& value);

  private:
    MongoPool& pool_;
};

}  // namespace twake::store
