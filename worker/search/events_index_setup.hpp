#pragma once

// The events index and its aliases made at start when missing (docs/reference/search.md §3):
// an existing index or alias is never changed or removed.

#include <atomic>
#include <stdexcept>

#include "worker/search/opensearch_client.hpp"

namespace twake::search {

// An existing index whose mapping the documents cannot be written to; the message says what
// to do.
class EventsIndexConflict : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class EventsIndexSetup {
  public:
    // Both outlive the setup.
    EventsIndexSetup(const OpenSearchClient& client, const EventsIndexConfig& config)
        : client_(client), config_(config) {}

    // Blocking. Creates what is missing; throws EventsIndexConflict, or net::HttpError /
    // std::runtime_error when OpenSearch is unreachable or refuses.
    void run();

    // Whether run() succeeded once (the indexing consumers run it again until it does).
    bool done() const { return done_; }

  private:
    const OpenSearchClient& client_;
    const EventsIndexConfig& config_;
    std::atomic<bool> done_{false};

    bool exists(const std::string& target) const;
    void create_index() const;
    void check_mapping() const;
    void add_alias(const std::string& alias) const;
};

}  // namespace twake::search
