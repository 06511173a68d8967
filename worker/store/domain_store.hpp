#pragma once

// The `domains` collection in the OpenPaaS format (docs/reference/mongodb.md §5).

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "worker/store/mongo_pool.hpp"

namespace twake::store {

struct DomainAdministrator {
    std::string user_id;
    std::optional<std::chrono::system_clock::time_point> since;
};

struct Domain {
    std::string id;
    std::string name;
    std::vector<DomainAdministrator> administrators;
};

// Blocking calls: run them on the blocking pool.
class DomainStore {
  public:
    explicit DomainStore(MongoPool& pool) : pool_(pool) {}

    std::optional<Domain> find_by_id(std::string_view id);
    std::optional<Domain> find_by_name(const std::string& name);
    std::vector<Domain> list();
    // Inserts the domain; returns false when it already exists.
    bool add(const std::string& name);

    // Idempotent grant; false when the domain does not exist.
    bool add_administrator(const std::string& domain_id, const std::string& user_id);
    // Idempotent revocation; false when the domain does not exist.
    bool revoke_administrator(const std::string& domain_id, const std::string& user_id);

  private:
    MongoPool& pool_;
    // FerretDB 1.x applies an update as a read and a whole-document write without isolation,
    // so two concurrent changes of one domain's administrators can lose one of them: this
    // process makes its own changes one at a time (MongoDB needs no such help).
    std::mutex administrators_mutex_;
};

}  // namespace twake::store
