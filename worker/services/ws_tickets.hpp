#pragma once

// WebSocket tickets (docs/reference/rest-api.md §12, docs/reference/edge-worker.md §2.5): issued
// to a signed-in user, revoked by their owner, consumed once by the edge's `/ws` check. Each call
// on the blocking pool under the storage deadline; a ticket's value is never logged.

#include <optional>
#include <string>

#include "worker/runtime/awaitable.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/store/ticket_store.hpp"
#include "worker/tickets/ticket.hpp"

namespace twake::services {

// What a presented ticket came to; `ticket` is set when it was found (even if refused).
struct TicketUse {
    tickets::Check check = tickets::Check::Unknown;
    std::optional<tickets::Ticket> ticket;
};

class WsTickets {
  public:
    WsTickets(runtime::BlockingPool& blocking, store::TicketStore& store, bool ip_validation)
        : blocking_(blocking), store_(store), ip_validation_(ip_validation) {}

    runtime::Awaitable<tickets::Ticket> issue(const std::string& username,
                                              const std::string& client_address,
                                              const std::optional<std::string>& sid) const;
    // Whether `value` was `username`'s ticket (it is gone either way).
    runtime::Awaitable<bool> revoke(const std::string& value, const std::string& username) const;
    // Takes the ticket and checks it: a ticket is burnt by any attempt, accepted or not.
    runtime::Awaitable<TicketUse> consume(const std::string& value,
                                          const std::string& client_address) const;

  private:
    runtime::BlockingPool& blocking_;
    store::TicketStore& store_;
    bool ip_validation_;
};

}  // namespace twake::services
