#pragma once

// Readiness and stop notifications to systemd (Type=notify). A no-op when NOTIFY_SOCKET is
// not set, so the worker runs the same under systemd, in a terminal or in the tests.

#include <chrono>
#include <optional>
#include <string_view>

namespace twake::systemd {

class ServiceNotifier {
  public:
    void ready(std::string_view status) const;
    void stopping() const;
    void status(std::string_view status) const;

    // The keep-alive period systemd expects (half of WatchdogSec=), or nullopt without a
    // watchdog. The pings come from the event loop, so a stuck loop stops them.
    std::optional<std::chrono::microseconds> watchdog_period() const;
    void watchdog() const;
};

}  // namespace twake::systemd
