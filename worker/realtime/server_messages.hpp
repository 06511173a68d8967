#pragma once

// What the server sends on a socket (docs/reference/realtime.md §2.3): each a JSON object in
// one text frame. The shapes are frozen: the web app reads any unknown top-level key as a
// calendar path to refresh.

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace twake::realtime {

// The answer to one register message; empty members are omitted, all empty gives `{}`.
struct RegisterReply {
    std::vector<std::string> registered;
    std::map<std::string, std::string> not_registered;  // path → reason
    std::vector<std::string> unregistered;
    std::map<std::string, std::string> not_unregistered;

    std::string to_json() const;
};

// Reasons of `notRegistered`.
inline constexpr std::string_view kForbidden = "Forbidden";
inline constexpr std::string_view kNotFound = "NotFound";
inline constexpr std::string_view kTooManyRegistrations = "TooManyRegistrations";

// A display alarm, as the alarm scheduler hands it over.
struct DisplayAlarm {
    std::string summary;
    std::string event_url;   // the row's eventPath
    std::string start_time;  // ISO-8601 UTC as Java's Instant prints it
};

std::string calendar_list_registered_message();
std::string error_message(std::string_view error);
std::string empty_message();
std::string display_notification_message(bool enabled);
// `{"<path>":{"syncToken":"<token>"}}`
std::string sync_token_message(const std::string& path, const std::string& token);
// `{"calendarList":{"<change>":["<path>"]}}`
std::string calendar_list_message(std::string_view change, const std::string& path);
// `{"alarms":[{"eventSummary","eventURL","eventStartTime"}]}`
std::string alarm_message(const DisplayAlarm& alarm);

}  // namespace twake::realtime
