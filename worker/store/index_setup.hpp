#pragma once

// Creates the collections and indexes of docs/reference/mongodb.md §3 at start, idempotently, and
// adapts to servers that lack partial or TTL indexes (FerretDB 1.x, docs/reference/mongodb.md §11).

#include <chrono>

#include "worker/store/mongo_pool.hpp"

namespace twake::store {

struct IndexOutcome {
    // No partial unique index on users.email: new users' uniqueness is enforced in code.
    bool unique_email_in_code = false;
    // No TTL indexes: expired uploads, leases and tickets are purged by the worker.
    bool ttl_purge_needed = false;
};

class IndexSetup {
  public:
    IndexSetup(MongoPool& pool, std::chrono::seconds upload_expiration)
        : pool_(pool), upload_expiration_(upload_expiration) {}

    // Blocking. Throws StoreError when MongoDB is unusable, and std::runtime_error naming the
    // collection and key when a unique index cannot be built over existing duplicates.
    IndexOutcome run();

  private:
    MongoPool& pool_;
    std::chrono::seconds upload_expiration_;
};

// Deletes what TTL indexes would have deleted (uploads past their expiration, expired leases
// and tickets); returns the number of documents deleted.
int64_t purge_expired(MongoPool& pool, std::chrono::seconds upload_expiration);

}  // namespace twake::store
