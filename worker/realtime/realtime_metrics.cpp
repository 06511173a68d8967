#include "worker/realtime/realtime_metrics.hpp"

#include <string>

namespace twake::realtime {

namespace {

prometheus::Family<prometheus::Counter>& counters(prometheus::Registry& registry, const char* name,
                                                  const char* help) {
    return prometheus::BuildCounter().Name(name).Help(help).Register(registry);
}

}  // namespace

RealtimeMetrics::RealtimeMetrics(prometheus::Registry& registry)
    : connections_(prometheus::BuildGauge()
                       .Name("tcal_ws_connections")
                       .Help("Open WebSockets on this node")
                       .Register(registry)
                       .Add({})),
      closed_(
          counters(registry, "tcal_ws_connections_closed_total", "WebSockets closed, by reason")),
      registrations_(prometheus::BuildGauge()
                         .Name("tcal_ws_registrations")
                         .Help("Registered paths and display-alarm subscriptions, by kind")
                         .Register(registry)),
      register_(
          counters(registry, "tcal_ws_register_total", "Paths asked to be registered, by result")),
      pushes_sent_(counters(registry, "tcal_ws_pushes_sent_total", "Pushes sent, by type")),
      pushes_dropped_(
          counters(registry, "tcal_ws_pushes_dropped_total", "Pushes not sent, by reason")),
      token_fetch_(prometheus::BuildHistogram()
                       .Name("tcal_ws_token_fetch_seconds")
                       .Help("Sync-token fetches from esn-sabre, by collection kind")
                       .Register(registry)),
      bus_published_(
          counters(registry, "tcal_push_bus_published_total", "Envelopes published on the push bus")
              .Add({})),
      bus_received_(counters(registry, "tcal_push_bus_received_total",
                             "Envelopes of other nodes received from the push bus")
                        .Add({})),
      bus_errors_(counters(registry, "tcal_push_bus_errors_total",
                           "Push bus failures: envelopes not published, unreadable or lost "
                           "connections")
                      .Add({})) {
    for (auto label : {"client", "idle", "slow_consumer", "too_big", "lifetime", "revoked",
                       "shutdown", "error"}) {
        closed_.Add({{"reason", label}});
    }
    for (auto label : {"registered", "forbidden", "not_found", "error", "limit"}) {
        register_.Add({{"result", label}});
    }
    for (auto label : {"sync_token", "addressbook", "calendar_list", "alarm"}) {
        pushes_sent_.Add({{"type", label}});
    }
    for (auto label : {"no_access", "dav_error", "slow_consumer", "dependency"}) {
        pushes_dropped_.Add({{"reason", label}});
    }
    registrations(0, 0, 0);
}

void RealtimeMetrics::connections(std::size_t open) {
    connections_.Set(static_cast<double>(open));
}

void RealtimeMetrics::closed(CloseReason reason) {
    closed_.Add({{"reason", std::string(close_reason_label(reason))}}).Increment();
}

void RealtimeMetrics::registrations(std::size_t calendars, std::size_t address_books,
                                    std::size_t displays) {
    registrations_.Add({{"kind", "calendar"}}).Set(static_cast<double>(calendars));
    registrations_.Add({{"kind", "addressbook"}}).Set(static_cast<double>(address_books));
    registrations_.Add({{"kind", "display"}}).Set(static_cast<double>(displays));
}

void RealtimeMetrics::registered(std::string_view result) {
    register_.Add({{"result", std::string(result)}}).Increment();
}

void RealtimeMetrics::pushed(std::string_view type) {
    pushes_sent_.Add({{"type", std::string(type)}}).Increment();
}

void RealtimeMetrics::dropped(std::string_view reason) {
    pushes_dropped_.Add({{"reason", std::string(reason)}}).Increment();
}

void RealtimeMetrics::token_fetched(std::string_view kind, std::chrono::nanoseconds duration) {
    static const prometheus::Histogram::BucketBoundaries kBuckets{
        0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    token_fetch_.Add({{"kind", std::string(kind)}}, kBuckets)
        .Observe(std::chrono::duration<double>(duration).count());
}

void RealtimeMetrics::bus_published() {
    bus_published_.Increment();
}

void RealtimeMetrics::bus_received() {
    bus_received_.Increment();
}

void RealtimeMetrics::bus_error() {
    bus_errors_.Increment();
}

}  // namespace twake::realtime
