#include "worker/amqp/itip_local_delivery.hpp"

#include <cjson/cJSON.h>

#include <algorithm>
#include <cctype>

#include "shared/json/json.hpp"
#include "shared/log/log.hpp"
#include "worker/ical/calendar.hpp"
#include "worker/runtime/store_call.hpp"
#include "worker/scheduling/itip_notifications.hpp"
#include "worker/services/resources.hpp"

namespace twake::amqp {

namespace {

const log::Logger kLog("worker.itip");

std::string required_string(const cJSON* object, const char* key) {
    auto value = json::string_member(object, key);
    if (!value) {
        throw PoisonMessage(std::string("`") + key + "` is missing or not a string");
    }
    return *value;
}

std::string upper(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return text;
}

bool blank(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](unsigned char c) { return std::isspace(c) != 0; });
}

// The VEVENTs of iTIP text: those of its VCALENDAR, or the text's one VEVENT; none when libical
// cannot read it. Owned by `root`.
std::vector<icalcomponent*> events_of(const ical::Component& root) {
    if (!root) {
        return {};
    }
    if (icalcomponent_isa(root.get()) == ICAL_VEVENT_COMPONENT) {
        return {root.get()};
    }
    return ical::vevents(root.get());
}

ical::Component read_ical(std::string_view text) {
    return ical::Component(icalparser_parse_string(std::string(text).c_str()));
}

}  // namespace

ItipMessage parse_itip_message(std::string_view body) {
    auto doc = json::Json::parse(body);
    if (!doc || !cJSON_IsObject(doc->get())) {
        throw PoisonMessage("not a JSON object");
    }
    const cJSON* root = doc->get();
    ItipMessage out;
    out.sender = required_string(root, "sender");
    out.method = upper(required_string(root, "method"));
    out.uid = required_string(root, "uid");
    out.message = required_string(root, "message");
    out.old_message = json::string_member(root, "oldMessage");
    out.calendar_id = json::string_member(root, "calendarId");
    const cJSON* recipients = cJSON_GetObjectItemCaseSensitive(root, "recipients");
    if (!cJSON_IsArray(recipients)) {
        throw PoisonMessage("`recipients` is missing or not an array");
    }
    for (const cJSON* r = recipients->child; r != nullptr; r = r->next) {
        if (cJSON_IsString(r) && !blank(r->valuestring)) {
            out.recipients.emplace_back(r->valuestring);
        }
    }
    return out;
}

std::vector<Publication> split_by_recipient(std::string_view body, const ItipMessage& message) {
    std::vector<Publication> out;
    for (const auto& recipient : message.recipients) {
        auto copy = json::Json::parse(body);
        if (!copy) {
            throw PoisonMessage("not a JSON object");
        }
        json::Json one = json::Json::array();
        one.push(recipient);
        copy->set("recipients", std::move(one));
        out.push_back(Publication{kItipExchange, copy->dump()});
    }
    return out;
}

std::optional<long> highest_sequence(std::string_view ical) {
    std::optional<long> highest;
    ical::Component root = read_ical(ical);
    for (icalcomponent* event : events_of(root)) {
        for (icalproperty* p = icalcomponent_get_first_property(event, ICAL_SEQUENCE_PROPERTY);
             p != nullptr; p = icalcomponent_get_next_property(event, ICAL_SEQUENCE_PROPERTY)) {
            if (icalproperty_get_value(p) == nullptr) {
                continue;
            }
            long n = icalproperty_get_sequence(p);
            if (!highest || n > *highest) {
                highest = n;
            }
        }
    }
    return highest;
}

namespace {

// The PARTSTAT `address` has in the event: nullopt when it is no attendee or has none.
std::optional<std::string> partstat_of(icalcomponent* event, const std::string& address) {
    for (icalproperty* a = icalcomponent_get_first_property(event, ICAL_ATTENDEE_PROPERTY);
         a != nullptr; a = icalcomponent_get_next_property(event, ICAL_ATTENDEE_PROPERTY)) {
        if (ical::bare_address(icalproperty_get_attendee(a)) == address) {
            std::string partstat = ical::parameter(a, ICAL_PARTSTAT_PARAMETER);
            if (!partstat.empty()) {
                return upper(partstat);
            }
        }
    }
    return std::nullopt;
}

std::string recurrence_id(icalcomponent* event) {
    return ical::recurrence_id_text(event).value_or("");
}

}  // namespace

std::optional<std::string> skip_reason(const ItipMessage& message) {
    auto sender = ical::bare_address(message.sender);
    ical::Component root = read_ical(message.message);
    auto events = events_of(root);
    if (message.method == "REQUEST") {
        std::optional<std::string> organizer;
        for (icalcomponent* event : events) {
            icalproperty* o = icalcomponent_get_first_property(event, ICAL_ORGANIZER_PROPERTY);
            auto address =
                o != nullptr ? ical::bare_address(icalproperty_get_organizer(o)) : std::nullopt;
            if (!address || (organizer && *organizer != *address)) {
                return "not exactly one organizer";
            }
            organizer = address;
        }
        if (!organizer) {
            return "not exactly one organizer";
        }
        if (sender != organizer) {
            return "the sender is not the organizer";
        }
    } else if (message.method == "REPLY" && message.old_message && sender) {
        ical::Component old_root = read_ical(*message.old_message);
        auto old_events = events_of(old_root);
        for (icalcomponent* event : events) {
            auto now = partstat_of(event, *sender);
            if (!now) {
                return std::nullopt;
            }
            // The old instance of the same RECURRENCE-ID, else the old master.
            icalcomponent* old = nullptr;
            for (icalcomponent* candidate : old_events) {
                if (recurrence_id(candidate) == recurrence_id(event)) {
                    old = candidate;
                    break;
                }
                if (old == nullptr && recurrence_id(candidate).empty()) {
                    old = candidate;
                }
            }
            if (old == nullptr || partstat_of(old, *sender) != now) {
                return std::nullopt;
            }
        }
        return events.empty() ? std::nullopt
                              : std::optional<std::string>("the participation did not change");
    }
    return std::nullopt;
}

std::string itip_request_body(const ItipMessage& message, const std::string& sender,
                              const std::string& recipient) {
    json::Json body = json::Json::object();
    body.set("uid", message.uid)
        .set("sender", sender)
        .set("recipient", recipient)
        .set("ical", message.message)
        .set("method", message.method);
    if (auto sequence = highest_sequence(message.message)) {
        body.set("sequence", static_cast<double>(*sequence));
    }
    return body.dump();
}

namespace {

enum class RecipientKind { User, Resource, External };

struct Recipient {
    RecipientKind kind = RecipientKind::External;
    std::string id;  // the user's id (its calendar home) for a user
};

// A local user, or a resource of its domain addressed by its id that is not deleted
// (docs/reference/rabbitmq.md §3.3), else external. Blocking.
Recipient resolve(const ItipDeliveryServices& services, const std::string& address) {
    if (auto user = services.users.find_by_email(address)) {
        return {RecipientKind::User, user->id};
    }
    auto resource = services::resource_of_address(services.domains, services.resources, address);
    if (resource && !resource->deleted) {
        return {RecipientKind::Resource, resource->id};
    }
    return {};
}

// The publications telling the recipient by mail (docs/reference/rabbitmq.md §3.4).
std::vector<Publication> mail_notifications(const ItipMessage& message,
                                            const std::string& recipient,
                                            const std::string& event_path) {
    scheduling::ItipNotificationSource source;
    source.method = message.method;
    source.sender = ical::bare_address(message.sender).value_or(message.sender);
    source.recipient = recipient;
    source.message = message.message;
    source.old_message = message.old_message;
    source.calendar_id = message.calendar_id;
    source.event_path = event_path;
    std::vector<Publication> out;
    try {
        auto now =
            std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
        for (auto& body : scheduling::notification_bodies(source, now)) {
            out.push_back(Publication{scheduling::kNotificationExchange, std::move(body)});
        }
    } catch (const std::invalid_argument& e) {
        kLog.warn("iTIP message not mailed: its calendar cannot be read",
                  {{"uid", message.uid}, {"error", e.what()}});
    }
    return out;
}

// Where the recipient's copy is: for a local user, found by UID in its calendars (a failure
// only loses the link); otherwise the sender's calendar path, as upstream writes it.
runtime::Awaitable<std::string> event_path_of(const ItipDeliveryServices& services,
                                              const ItipMessage& message,
                                              const std::string& address,
                                              const Recipient& recipient) {
    if (recipient.kind == RecipientKind::User) {
        dav::DavClient& dav = services.dav;
        const std::string home = recipient.id;
        const std::string uid = message.uid;
        auto find = [&dav, address, home, uid] { return dav.find_event_href(address, home, uid); };
        try {
            auto href =
                co_await services.blocking.run(find, dav.timeout() + std::chrono::seconds(5));
            if (href) {
                co_return *href;
            }
        } catch (const std::exception& e) {
            kLog.warn("The recipient's copy could not be looked up",
                      {{"uid", message.uid}, {"error", e.what()}});
        }
    }
    if (!message.calendar_id) {
        co_return std::string();
    }
    co_return "/calendars/" + *message.calendar_id + "/" + *message.calendar_id + "/" +
        message.uid + ".ics";
}

// Delivers to a local recipient through esn-sabre's POST /itip; nullopt when delivered or
// unknown to esn-sabre (then external), else the outcome to give the message.
runtime::Awaitable<std::optional<HandlerOutcome>> post_itip(const ItipDeliveryServices& services,
                                                            const ItipMessage& message,
                                                            const std::string& address,
                                                            Recipient& recipient) {
    dav::DavClient& dav = services.dav;
    const std::string body = itip_request_body(
        message, ical::bare_address(message.sender).value_or(message.sender), address);
    auto post = [&dav, address, body] { return dav.deliver_itip(address, body); };
    net::HttpResponse response =
        co_await services.blocking.run(post, dav.timeout() + std::chrono::seconds(5));
    if (response.status >= 200 && response.status < 300) {
        kLog.info("iTIP message delivered",
                  {{"uid", message.uid}, {"method", message.method}, {"recipient", address}});
        co_return std::nullopt;
    }
    if (response.status == 400) {
        kLog.info("esn-sabre does not know the iTIP recipient: treated as external",
                  {{"uid", message.uid}, {"recipient", address}});
        recipient = Recipient{};
        co_return std::nullopt;
    }
    std::string reason = "esn-sabre answered " + std::to_string(response.status) +
                         " to POST /itip: " + response.body.substr(0, 300);
    if (response.status >= 400 && response.status < 500) {
        co_return HandlerOutcome::poison(reason);
    }
    co_return HandlerOutcome::retryable(reason);
}

// `services` by value: references only, so it outlives any copy of the handler.
runtime::Awaitable<HandlerOutcome> deliver(ItipDeliveryServices services,
                                           const Delivery& delivery) {
    ItipMessage message = parse_itip_message(delivery.body);
    if (message.recipients.size() > 1) {
        co_return HandlerOutcome::done_after_publishing(split_by_recipient(delivery.body, message));
    }
    if (message.recipients.empty()) {
        kLog.warn("iTIP message without recipients dropped", {{"uid", message.uid}});
        co_return HandlerOutcome::done();
    }
    auto bare_recipient = ical::bare_address(message.recipients.front());
    if (!bare_recipient) {
        kLog.warn("iTIP message for an unparsable recipient dropped",
                  {{"uid", message.uid}, {"recipient", message.recipients.front()}});
        co_return HandlerOutcome::done();
    }
    if (auto why = skip_reason(message)) {
        kLog.info("iTIP message skipped", {{"uid", message.uid}, {"reason", *why}});
        co_return HandlerOutcome::done();
    }
    const std::string address = *bare_recipient;
    auto lookup = [services, address] { return resolve(services, address); };
    Recipient recipient = co_await runtime::run_store_call(services.blocking, lookup);
    if (recipient.kind != RecipientKind::External && message.method != "COUNTER") {
        // A proposal (COUNTER) is only mailed to the organizer.
        if (auto failed = co_await post_itip(services, message, address, recipient)) {
            co_return std::move(*failed);
        }
    }
    if (recipient.kind == RecipientKind::Resource) {
        co_return HandlerOutcome::done();  // resources are told by their own messages
    }
    std::string path = co_await event_path_of(services, message, address, recipient);
    co_return HandlerOutcome::done_after_publishing(mail_notifications(message, address, path));
}

}  // namespace

Consumer itip_local_delivery_consumer(int prefetch, const ItipDeliveryServices& services) {
    return {with_colon_dead_letter(kItipExchange, "tcalendar:itip:localDelivery"), prefetch,
            [services](const Delivery& delivery) { return deliver(services, delivery); }};
}

}  // namespace twake::amqp
