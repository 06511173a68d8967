#pragma once

// The `twake_calendar_sent_mails` collection: the notifications already mailed, so that a
// message the broker delivers again sends no second mail (docs/reference/mongodb.md §14).

#include <chrono>
#include <string>

#include "worker/store/mongo_pool.hpp"

namespace twake::store {

// Blocking calls: run them on the blocking pool.
class SentMailLedger {
  public:
    // Entries are kept this long: far beyond any redelivery.
    static constexpr std::chrono::hours kKeptFor{24 * 7};

    explicit SentMailLedger(MongoPool& pool) : pool_(pool) {}

    // `key` identifies one notification (a digest of its message).
    bool contains(const std::string& key);
    // Idempotent.
    void record(const std::string& key);

  private:
    MongoPool& pool_;
};

}  // namespace twake::store
