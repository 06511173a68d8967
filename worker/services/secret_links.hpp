#pragma once

// Secret links (docs/reference/rest-api.md §9, docs/reference/auth.md §6.1): a user's link to
// a calendar, minted on first use, and what the edge needs to serve a download (whose link a
// token is, what esn-sabre says of the calendar; docs/reference/edge-worker.md §2.4). Each call
// on the blocking pool under the storage deadline. Tokens never reach a log line.

#include <optional>
#include <string>

#include "worker/dav/dav_client.hpp"
#include "worker/runtime/awaitable.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/store/secret_link_store.hpp"
#include "worker/store/user_store.hpp"

namespace twake::services {

// The owner of a link and esn-sabre's answer for the calendar's metadata (status 0 when
// esn-sabre was not reached or there is no owner).
struct LinkUse {
    std::optional<store::User> owner;
    long dav_status = 0;
    std::string dav_body;
};

class SecretLinks {
  public:
    SecretLinks(runtime::BlockingPool& blocking, store::UserStore& users,
                store::SecretLinkStore& links, dav::DavClient& dav)
        : blocking_(blocking), users_(users), links_(links), dav_(dav) {}

    // The token of `email`'s link to the calendar, a new one when there is none or `reset`;
    // nullopt when no user has this address.
    runtime::Awaitable<std::optional<std::string>> token(const std::string& email,
                                                         const std::string& home,
                                                         const std::string& calendar,
                                                         bool reset) const;
    // Whose link `token` is for the calendar, and the calendar's metadata read as that user.
    runtime::Awaitable<LinkUse> use(const std::string& token, const std::string& home,
                                    const std::string& calendar) const;

  private:
    runtime::BlockingPool& blocking_;
    store::UserStore& users_;
    store::SecretLinkStore& links_;
    dav::DavClient& dav_;
};

}  // namespace twake::services
