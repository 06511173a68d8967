#pragma once

// The `resources` collection: bookable rooms and equipment (docs/reference/mongodb.md §9), read
// side.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "worker/store/mongo_pool.hpp"

namespace twake::store {

struct Resource {
    std::string id;
    std::string name;
    std::string description;
    std::string type;
    std::optional<std::string> icon;
    bool deleted = false;
    std::optional<std::string> creator;
    std::string domain_id;
    std::optional<std::chrono::system_clock::time_point> created;
    std::optional<std::chrono::system_clock::time_point> updated;
};

// Blocking calls: run them on the blocking pool.
class ResourceStore {
  public:
    explicit ResourceStore(MongoPool& pool) : pool_(pool) {}

    // Deleted ones too; legacy documents without icon, creator or timestamps are fine.
    std::optional<Resource> find_by_id(std::string_view id);
    // The domain's resources not deleted whose name contains `query` (trimmed, any case), at
    // most `limit` (people search, docs/reference/rest-api.md §14).
    std::vector<Resource> search(const std::string& domain_id, const std::string& query, int limit);
    // Every resource of every domain, deleted ones too (the reindex task).
    std::vector<Resource> list_all();

  private:
    MongoPool& pool_;
};

}  // namespace twake::store
