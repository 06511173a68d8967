#include "worker/tickets/ticket.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstring>

#include "shared/crypto/digest.hpp"
#include "shared/identity/address.hpp"
#include "shared/json/json.hpp"
#include "shared/text/utc_time.hpp"
#include "shared/text/uuid.hpp"

namespace twake::tickets {

namespace {

// An address as the 16 bytes of IPv6, IPv4 as its mapped form (::ffff:a.b.c.d).
std::optional<std::array<unsigned char, 16>> ip_bytes(std::string_view text) {
    std::string s(text);
    std::array<unsigned char, 16> bytes{};
    unsigned char v4[4];
    if (inet_pton(AF_INET, s.c_str(), v4) == 1) {
        bytes[10] = 0xff;
        bytes[11] = 0xff;
        std::memcpy(bytes.data() + 12, v4, 4);
        return bytes;
    }
    if (inet_pton(AF_INET6, s.c_str(), bytes.data()) == 1) {
        return bytes;
    }
    return std::nullopt;
}

}  // namespace

Ticket new_ticket(std::string username, std::string client_address, std::optional<std::string> sid,
                  Clock::time_point now) {
    Ticket t;
    t.value = text::random_uuid();
    t.username = std::move(username);
    t.client_address = std::move(client_address);
    t.generated_on = std::chrono::floor<std::chrono::seconds>(now);
    t.valid_until = t.generated_on + kValidity;
    t.sid = std::move(sid);
    return t;
}

std::string issued_json(const Ticket& ticket) {
    json::Json body = json::Json::object();
    body.set("clientAddress", ticket.client_address);
    body.set("value", ticket.value);
    body.set("generatedOn", text::iso8601_utc_seconds(ticket.generated_on));
    body.set("validUntil", text::iso8601_utc_seconds(ticket.valid_until));
    body.set("username", ticket.username);
    return body.dump();
}

std::optional<std::string> ticket_value(std::string_view text) {
    if (!text::is_uuid(text)) {
        return std::nullopt;
    }
    return identity::lower(text);
}

bool same_ip(std::string_view a, std::string_view b) {
    auto x = ip_bytes(a);
    auto y = ip_bytes(b);
    if (!x || !y) {
        return !x && !y && a == b;
    }
    return *x == *y;
}

Check check(const std::optional<Ticket>& taken, Clock::time_point now,
            std::string_view presented_address, bool ip_validation) {
    if (!taken) {
        return Check::Unknown;
    }
    if (taken->valid_until <= now) {
        return Check::Expired;
    }
    if (ip_validation && !same_ip(taken->client_address, presented_address)) {
        return Check::AddressMismatch;
    }
    return Check::Accepted;
}

std::string_view refusal_details(Check check) {
    switch (check) {
        case Check::Unknown:
            return "unknown ticket";
        case Check::Expired:
            return "expired ticket";
        case Check::AddressMismatch:
            return "client address mismatch";
        case Check::Accepted:
            break;
    }
    return "";
}

std::string fingerprint(std::string_view value) {
    return crypto::hex(crypto::sha256(value)).substr(0, 12);
}

std::string problem_json(unsigned status, std::string_view detail) {
    json::Json body = json::Json::object();
    body.set("type", "about:blank");
    body.set("status", static_cast<int>(status));
    body.set("detail", detail);
    return body.dump();
}

}  // namespace twake::tickets
