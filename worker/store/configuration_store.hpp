#pragma once

// The `configurations` collection: per-user settings in the OpenPaaS format
// (docs/reference/mongodb.md §6).

#include <string>

#include "shared/json/json.hpp"
#include "worker/store/mongo_pool.hpp"

namespace twake::store {

// Blocking calls: run them on the blocking pool.
class ConfigurationStore {
  public:
    explicit ConfigurationStore(MongoPool& pool) : pool_(pool) {}

    // The stored modules, `[{"name":m,"configurations":[{"name":k,"value":v}]}]` (an empty
    // array when nothing is stored). Malformed legacy entries are skipped (and logged).
    json::Json read(const std::string& user_id, const std::string& domain_id);

    // Replaces the whole stored set with `modules` (same shape). Throws errors::InvalidInput
    // for a value with a key starting with '$'.
    void persist(const std::string& user_id, const std::string& domain_id, const cJSON* modules);

  private:
    MongoPool& pool_;
};

}  // namespace twake::store
