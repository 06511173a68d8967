#include "worker/systemd/service_notifier.hpp"

#include <systemd/sd-daemon.h>

#include <string>

namespace twake::systemd {

void ServiceNotifier::ready(std::string_view status) const {
    std::string message = "READY=1\nSTATUS=" + std::string(status);
    sd_notify(0, message.c_str());
}

void ServiceNotifier::stopping() const {
    sd_notify(0, "STOPPING=1");
}

void ServiceNotifier::status(std::string_view status) const {
    std::string message = "STATUS=" + std::string(status);
    sd_notify(0, message.c_str());
}

std::optional<std::chrono::microseconds> ServiceNotifier::watchdog_period() const {
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) {
        return std::nullopt;
    }
    return std::chrono::microseconds(usec / 2);
}

void ServiceNotifier::watchdog() const {
    sd_notify(0, "WATCHDOG=1");
}

}  // namespace twake::systemd
