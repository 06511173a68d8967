#pragma once

// WebSocket tickets as pure logic (docs/reference/rest-api.md §12, docs/reference/edge-worker.md
// §2.5): a single-use value, valid one minute, that opens one `/ws` handshake. What a ticket is,
// what the API answers about it, and whether a presented ticket is still good. The value itself
// never reaches a log line: logs carry its fingerprint().

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace twake::tickets {

using Clock = std::chrono::system_clock;

// Fixed, as upstream's (not configurable).
inline constexpr std::chrono::seconds kValidity{60};

struct Ticket {
    std::string value;  // a random UUID, lower case
    std::string username;
    std::string client_address;  // the address the edge saw when the ticket was asked for
    Clock::time_point generated_on;
    Clock::time_point valid_until;
    std::optional<std::string> sid;  // the OIDC session, when the edge knew it
};

// A new ticket for `username`; its dates are whole seconds (the API writes them so), valid
// until generated_on + kValidity.
Ticket new_ticket(std::string username, std::string client_address, std::optional<std::string> sid,
                  Clock::time_point now);

// {"clientAddress","value","generatedOn","validUntil","username"}, dates as
// "2025-11-21T03:17:08Z".
std::string issued_json(const Ticket& ticket);

// The lower-cased value when `text` is a UUID, else nullopt.
std::optional<std::string> ticket_value(std::string_view text);

// Whether two textual addresses are the same IP: compared as parsed bytes, an IPv4-mapped
// IPv6 address equal to its IPv4 form, IPv6 in any spelling (Java wrote it uncompressed).
// Text that is no IP (a unix socket's "unix:") matches only the same text.
bool same_ip(std::string_view a, std::string_view b);

// What a presented ticket comes to, once it has been taken out of the store.
enum class Check { Accepted, Unknown, Expired, AddressMismatch };
Check check(const std::optional<Ticket>& taken, Clock::time_point now,
            std::string_view presented_address, bool ip_validation);
// The `details` of the internal call's 401 for a refusal: "unknown ticket"…
std::string_view refusal_details(Check check);

// The first 12 hexadecimal digits of the value's SHA-256: enough to follow one ticket through
// the logs, useless to use it.
std::string fingerprint(std::string_view value);

// Upstream's problem-details body of a refused ticket route:
// {"type":"about:blank","status":403,"detail":"…"}.
std::string problem_json(unsigned status, std::string_view detail);

}  // namespace twake::tickets
