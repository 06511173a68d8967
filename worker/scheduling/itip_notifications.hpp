#pragma once

// Which mail notifications a delivered iTIP message gives (docs/reference/rabbitmq.md §3.4):
// each is the body of one `calendar:event:notificationEmail:send` message. Pure.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace twake::scheduling {

inline constexpr const char* kNotificationExchange = "calendar:event:notificationEmail:send";

struct ItipNotificationSource {
    std::string method;     // upper-case: REQUEST, REPLY, CANCEL, COUNTER
    std::string sender;     // bare address
    std::string recipient;  // bare address
    std::string message;    // the iTIP calendar text
    std::optional<std::string> old_message;
    std::optional<std::string> calendar_id;
    std::string event_path;  // the recipient's copy, or /calendars/{calendarId}/…
};

// The notification bodies, events already over dropped. Throws std::invalid_argument when
// `message` is not iCalendar with a VEVENT; an unreadable `old_message` counts as absent.
std::vector<std::string> notification_bodies(const ItipNotificationSource& source,
                                             std::chrono::sys_seconds now);

}  // namespace twake::scheduling
