#pragma once

// HTTP to OpenSearch (docs/reference/search.md §4): libcurl easy handles on the blocking
// pool, one kept per pool thread so that connections (and TLS sessions) are reused, Basic
// credentials and TLS as opensearch.properties says; the hosts tried in order.

#include <string>

#include "worker/net/http_client.hpp"
#include "worker/runtime/awaitable.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/search/opensearch_config.hpp"

namespace twake::search {

struct OpenSearchRequest {
    std::string method = "GET";
    std::string target;  // "/calendar-events-write/_bulk?routing=…", from the host's root
    std::string body;
    std::string content_type = "application/json";
};

class OpenSearchClient {
  public:
    // Both outlive the client.
    OpenSearchClient(const OpenSearchConfig& config, runtime::BlockingPool& blocking)
        : config_(config), blocking_(blocking) {}

    // On the blocking pool; the first host that answers (any status) gives the response.
    // Throws net::HttpError when no host answers. `request` is kept alive by the caller.
    runtime::Awaitable<net::HttpResponse> send(const OpenSearchRequest& request);

    // The same, on the calling thread (start-up, before the event loop runs).
    net::HttpResponse send_blocking(const OpenSearchRequest& request) const;

  private:
    const OpenSearchConfig& config_;
    runtime::BlockingPool& blocking_;
};

}  // namespace twake::search
