#pragma once

// The `domain_settings` collection (docs/reference/mongodb.md §8): per-domain overrides of people
// search, resource search and calendar visibility, one document per domain name.

#include <string>

#include "worker/settings/domain_settings.hpp"
#include "worker/store/mongo_pool.hpp"

namespace twake::store {

// Blocking calls: run them on the blocking pool.
class DomainSettingsStore {
  public:
    explicit DomainSettingsStore(MongoPool& pool) : pool_(pool) {}

    // What is stored for `domain` (every field unset when there is no document). A stored
    // value of the wrong BSON type or outside its set reads as unset and is logged: one bad
    // field must not break people search for the whole domain.
    settings::DomainSettings find(const std::string& domain);

    // Replaces every field: the values given are set, the others removed (upsert).
    void save(const std::string& domain, const settings::DomainSettings& values);

    // Sets and clears the fields the patch names; no write when it names none (upsert).
    void patch(const std::string& domain, const settings::DomainSettingsPatch& patch);

  private:
    MongoPool& pool_;
};

}  // namespace twake::store
