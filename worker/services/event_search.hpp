#pragma once

// The work behind `POST /calendar/api/events/search` (docs/reference/rest-api.md §13): who
// the caller is, which calendars they may search (their calendar list, read from esn-sabre
// as them), then one query on the events index.

#include <stdexcept>
#include <string>

#include "worker/dav/dav_client.hpp"
#include "worker/runtime/awaitable.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/search/event_search_request.hpp"
#include "worker/search/opensearch_client.hpp"
#include "worker/search/opensearch_config.hpp"
#include "worker/store/user_store.hpp"

namespace twake::services {

// esn-sabre or OpenSearch could not answer; `what()` names which, for the 503.
class SearchUnavailable : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class EventSearch {
  public:
    // All outlive the routes.
    EventSearch(runtime::BlockingPool& blocking, store::UserStore& users, dav::DavClient& dav,
                search::OpenSearchClient& opensearch, const search::EventsIndexConfig& index)
        : blocking_(blocking), users_(users), dav_(dav), opensearch_(opensearch), index_(index) {}

    // The response body for `caller` (a lower-cased address); `path` is the request's path.
    // Throws SearchUnavailable, and what the stores throw.
    runtime::Awaitable<std::string> search(const std::string& caller,
                                           const search::EventSearchRequest& request,
                                           const std::string& path) const;

  private:
    runtime::BlockingPool& blocking_;
    store::UserStore& users_;
    dav::DavClient& dav_;
    search::OpenSearchClient& opensearch_;
    const search::EventsIndexConfig& index_;
};

}  // namespace twake::services
