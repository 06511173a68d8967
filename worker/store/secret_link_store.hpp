#pragma once

// The `secretlinks` collection (docs/reference/auth.md §6.1, docs/reference/mongodb.md §3): one
// document per owner and calendar, {user_id: ObjectId, calendarHomeId, calendarId, token}, as
// OpenPaaS stores them.

#include <optional>
#include <string>

#include "worker/store/mongo_pool.hpp"

namespace twake::store {

// Blocking calls: run them on the blocking pool.
class SecretLinkStore {
  public:
    explicit SecretLinkStore(MongoPool& pool) : pool_(pool) {}

    // The owner's token for the calendar, if there is one.
    std::optional<std::string> token_of(const std::string& user_id, const std::string& home,
                                        const std::string& calendar);
    // Creates or replaces the owner's link (replace with upsert): an older token stops
    // working at once.
    void save(const std::string& user_id, const std::string& home, const std::string& calendar,
              const std::string& token);
    // The id of the user whose link this token is, for that calendar.
    std::optional<std::string> owner_of(const std::string& token, const std::string& home,
                                        const std::string& calendar);

  private:
    MongoPool& pool_;
};

}  // namespace twake::store
