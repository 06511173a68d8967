#pragma once

// Readiness and stop notifications to systemd (Type=notify). A no-op when NOTIFY_SOCKET is
// not set, so the worker runs the same under systemd, in a terminal or in the tests.

#include <string_view>

namespace twake::systemd {

class ServiceNotifier {
  public:
    void ready(std::string_view status) const;
    void stopping() const;
    void status(std::string_view status) const;
};

}  // namespace twake::systemd
