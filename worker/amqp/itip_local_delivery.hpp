#pragma once

// The `calendar:itip:localDelivery` consumer (docs/reference/rabbitmq.md §3.3): a message with
// several recipients is split into one message per recipient; a message for one recipient that
// is a local user or resource is delivered into its calendar by esn-sabre's `POST /itip`,
// impersonating it; then, unless the recipient is a resource, the mail notifications of the
// message are published (docs/reference/rabbitmq.md §3.4).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "worker/amqp/consumer.hpp"
#include "worker/dav/dav_client.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/store/resource_store.hpp"
#include "worker/store/user_store.hpp"

namespace twake::amqp {

inline constexpr const char* kItipExchange = "calendar:itip:localDelivery";

// The members of the message the worker uses (docs/reference/rabbitmq.md §3.2).
struct ItipMessage {
    std::string sender;
    std::string method;  // upper-cased
    std::string uid;
    std::string message;                  // iTIP iCalendar text
    std::vector<std::string> recipients;  // non-strings and blanks dropped
    std::optional<std::string> old_message;
    std::optional<std::string> calendar_id;  // the sender's calendar (last path segment)
};

// Throws PoisonMessage when the body is not an object with string `sender`, `method`, `uid`,
// `message` and an array `recipients`.
ItipMessage parse_itip_message(std::string_view body);

// One copy of `body` per recipient, `recipients` holding that one only.
std::vector<Publication> split_by_recipient(std::string_view body, const ItipMessage& message);

// The highest SEQUENCE among the VEVENTs of iCalendar text; nullopt when none has one.
std::optional<long> highest_sequence(std::string_view ical);

// Why a single-recipient message is skipped (docs/reference/rabbitmq.md §3.3), nullopt when it
// is delivered: a REQUEST not from the one organizer of its events, a REPLY that changes none of
// the sender's participation statuses.
std::optional<std::string> skip_reason(const ItipMessage& message);

// The body of esn-sabre's `POST /itip` for one recipient (bare addresses).
std::string itip_request_body(const ItipMessage& message, const std::string& sender,
                              const std::string& recipient);

// Where the consumer finds recipients and delivers; all outlive the consumer.
struct ItipDeliveryServices {
    store::UserStore& users;
    store::DomainStore& domains;
    store::ResourceStore& resources;
    dav::DavClient& dav;
    runtime::BlockingPool& blocking;
};

Consumer itip_local_delivery_consumer(int prefetch, const ItipDeliveryServices& services);

}  // namespace twake::amqp
