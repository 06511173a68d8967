#pragma once

// A `calendar:event:notificationEmail:send` message (docs/reference/rabbitmq.md §3.4) read as
// the mail it asks for (docs/mail.md §2): which kind, to whom, about what. Pure.

#include <optional>
#include <string>
#include <string_view>

#include "shared/json/json.hpp"
#include "worker/mail/mail_model.hpp"

namespace twake::mail {

struct Notification {
    std::string sender;     // bare address
    std::string recipient;  // bare address
    std::string method;     // upper-case
    std::string event;      // the calendar to describe
    std::optional<std::string> calendar_uri;
    std::optional<std::string> event_path;
    std::optional<std::string> old_event;  // counter: the event before the proposal
    bool new_event = false;
    json::Json changes;  // the `changes` object; empty when absent
};

// Throws std::invalid_argument naming the member when the body is not such a message.
Notification parse_notification(std::string_view body);

// The mail a notification gives: nullopt for a request that is neither new nor a change.
// Throws std::invalid_argument for an unknown method.
std::optional<MailKind> mail_kind(const Notification& notification);

// The previous values of the fields an update changed.
EventChanges previous_values(const cJSON* changes);

// The facts of the mail (links left empty). Throws std::invalid_argument when the event
// cannot be read.
MailFacts mail_facts(const Notification& notification, MailKind kind);

// The calendar home of an event path (`/calendars/{home}/…`); empty when it has none.
std::string calendar_home(std::string_view event_path);

}  // namespace twake::mail
