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

}  // namespace twake::systemd
