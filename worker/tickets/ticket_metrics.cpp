#include "worker/tickets/ticket_metrics.hpp"

namespace twake::tickets {

// Every result is created at once: a scrape shows zeros rather than no series.
TicketMetrics::TicketMetrics(prometheus::Registry& registry)
    : family_(prometheus::BuildCounter()
                  .Name("tcal_ws_tickets_total")
                  .Help("WebSocket tickets by result: issued, revoked, and each presented "
                        "ticket consumed or refused (unknown, expired, ip_mismatch)")
                  .Register(registry)),
      issued_(family_.Add({{"result", "issued"}})),
      revoked_(family_.Add({{"result", "revoked"}})),
      consumed_(family_.Add({{"result", "consumed"}})),
      unknown_(family_.Add({{"result", "unknown"}})),
      expired_(family_.Add({{"result", "expired"}})),
      ip_mismatch_(family_.Add({{"result", "ip_mismatch"}})) {}

void TicketMetrics::checked(Check check) {
    switch (check) {
        case Check::Accepted:
            consumed_.Increment();
            return;
        case Check::Unknown:
            unknown_.Increment();
            return;
        case Check::Expired:
            expired_.Increment();
            return;
        case Check::AddressMismatch:
            ip_mismatch_.Increment();
            return;
    }
}

}  // namespace twake::tickets
