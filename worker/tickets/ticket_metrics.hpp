#pragma once

// `tcal_ws_tickets_total{result}`: tickets issued, revoked by their owner, and what each
// presented ticket came to (docs/operate.md §3.2).

#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include "worker/tickets/ticket.hpp"

namespace twake::tickets {

class TicketMetrics {
  public:
    explicit TicketMetrics(prometheus::Registry& registry);

    void issued() { issued_.Increment(); }
    void revoked() { revoked_.Increment(); }
    // consumed, unknown, expired or ip_mismatch.
    void checked(Check check);

  private:
    prometheus::Family<prometheus::Counter>& family_;
    prometheus::Counter& issued_;
    prometheus::Counter& revoked_;
    prometheus::Counter& consumed_;
    prometheus::Counter& unknown_;
    prometheus::Counter& expired_;
    prometheus::Counter& ip_mismatch_;
};

}  // namespace twake::tickets
