#pragma once

// The work behind `POST /api/people/search` (docs/reference/rest-api.md §14): the caller's
// domain and its user-search mode, users and resources from MongoDB, contacts from Twake Mail's
// indices in OpenSearch, merged and ranked.

#include <prometheus/counter.h>

#include <string>
#include <vector>

#include "worker/config/worker_config.hpp"
#include "worker/runtime/awaitable.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/search/opensearch_client.hpp"
#include "worker/search/people_results.hpp"
#include "worker/search/people_search_request.hpp"
#include "worker/store/domain_settings_store.hpp"
#include "worker/store/domain_store.hpp"
#include "worker/store/resource_store.hpp"
#include "worker/store/user_store.hpp"

namespace twake::services {

// The stores and clients a search reads; all outlive the routes.
struct PeopleSources {
    runtime::BlockingPool& blocking;
    store::UserStore& users;
    store::DomainStore& domains;
    store::ResourceStore& resources;
    store::DomainSettingsStore& settings;
    search::OpenSearchClient& opensearch;
    const config::WorkerConfig& config;
};

class PeopleSearch {
  public:
    // `contact_failures` counts the searches answered without contacts because OpenSearch
    // failed.
    PeopleSearch(PeopleSources sources, prometheus::Counter& contact_failures)
        : from_(sources), contact_failures_(contact_failures) {}

    // The ranked answer for `email` (lower-cased) of `domain`. OpenSearch failing leaves the
    // contacts out (logged, counted); what the stores throw propagates.
    runtime::Awaitable<std::vector<search::Person>> search(
        const std::string& email, const std::string& domain,
        const search::PeopleSearchRequest& request) const;

  private:
    // The contacts matching, none when OpenSearch fails.
    runtime::Awaitable<std::vector<search::ContactHit>> contacts(
        const std::string& email, const std::string& domain,
        const search::PeopleSearchRequest& request) const;

    PeopleSources from_;
    prometheus::Counter& contact_failures_;
};

}  // namespace twake::services
