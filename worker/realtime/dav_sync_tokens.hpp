#pragma once

// Fetches a collection's sync token from esn-sabre as a user (docs/reference/realtime.md §3.3),
// on the blocking pool, timed into tcal_ws_token_fetch_seconds.

#include <string>

#include "worker/dav/dav_client.hpp"
#include "worker/realtime/collection_path.hpp"
#include "worker/realtime/realtime_metrics.hpp"
#include "worker/realtime/sync_token.hpp"
#include "worker/runtime/awaitable.hpp"
#include "worker/runtime/blocking_pool.hpp"

namespace twake::realtime {

class DavSyncTokens {
  public:
    DavSyncTokens(dav::DavClient& dav, runtime::BlockingPool& blocking, RealtimeMetrics& metrics)
        : dav_(dav), blocking_(blocking), metrics_(metrics) {}

    // Never throws: an unreachable or slow esn-sabre is an Error answer. Arguments are
    // references the caller keeps alive (GCC 12 and by-value coroutine parameters).
    runtime::Awaitable<TokenAnswer> fetch(const std::string& user, const CollectionPath& path);

  private:
    dav::DavClient& dav_;
    runtime::BlockingPool& blocking_;
    RealtimeMetrics& metrics_;
};

}  // namespace twake::realtime
