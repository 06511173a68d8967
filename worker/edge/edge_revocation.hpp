#pragma once

// Without Redis there is no channel to publish a revoked session on: the worker calls every edge
// node's revocation endpoint instead (docs/reference/edge-worker.md §4.4;
// docs/nginx-module.md §5.19, `twake_calendar_revocation`). Blocking (libcurl): run on the
// blocking pool.

#include <string>
#include <vector>

namespace twake::edges {

struct EdgeFailure {
    std::string url;
    std::string reason;  // a transport error or the status the edge answered
};

// POSTs {"sid":"<sid>","keys":[]} with `Authorization: Bearer <secret>` to each URL, one
// after the other; returns the edges that did not answer 200.
std::vector<EdgeFailure> evict_at_edges(const std::vector<std::string>& urls,
                                        const std::string& secret, const std::string& sid);

}  // namespace twake::edges
