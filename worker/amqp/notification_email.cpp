#include "worker/amqp/notification_email.hpp"

#include <chrono>
#include <cstdio>

#include "shared/crypto/digest.hpp"
#include "shared/json/json.hpp"
#include "shared/log/log.hpp"
#include "worker/mail/notification_mail.hpp"
#include "worker/mail/mail_templates.hpp"
#include "worker/mail/participation_link.hpp"
#include "worker/runtime/store_call.hpp"
#include "worker/services/resources.hpp"

namespace twake::amqp {

namespace {

const log::Logger kLog("worker.mail");

constexpr const char* kQueue = "tcalendar:event:notificationEmail:send";

std::string without_trailing_slash(std::string url) {
    while (!url.empty() && url.back() == '/') {
        url.pop_back();
    }
    return url;
}

// What the stores say about a notification before it is mailed.
struct Known {
    bool already_sent = false;
    std::optional<store::User> recipient_user;
    bool sender_is_resource = false;
};

// The links of the mail: participation (invitation and update, when the event has an
// organizer) and the recipient's calendar (users only).
mail::MailLinks links_for(const NotificationMailServices& services, const mail::Notification& n,
                          const mail::MailFacts& facts, bool recipient_is_user) {
    mail::MailLinks links;
    const auto& config = services.config;
    auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    bool asks = facts.kind == mail::MailKind::Invite || facts.kind == mail::MailKind::Update;
    if (asks && facts.event.organizer && services.signer != nullptr &&
        !config.spa_excal_url.empty()) {
        std::string home = mail::calendar_home(n.event_path.value_or(""));
        if (home.empty()) {
            home = n.calendar_uri.value_or("");
        }
        mail::ParticipationLinks answers = mail::participation_links(
            *services.signer, config.spa_excal_url,
            {n.recipient, facts.event.organizer->email, facts.event.uid, home}, now);
        links.yes = std::move(answers.yes);
        links.no = std::move(answers.no);
        links.maybe = std::move(answers.maybe);
    }
    if (recipient_is_user && !config.spa_calendar_url.empty()) {
        std::chrono::year_month_day day(
            std::chrono::floor<std::chrono::days>(facts.event.start.instant));
        if (facts.event.start.date) {
            day = *facts.event.start.date;
        }
        char start[16];
        std::snprintf(start, sizeof start, "%02u-%02u-%04d", static_cast<unsigned>(day.month()),
                      static_cast<unsigned>(day.day()), static_cast<int>(day.year()));
        links.see_in_calendar =
            without_trailing_slash(config.spa_calendar_url) + "/calendar/#/calendar?start=" + start;
    }
    return links;
}

// `services` by value: references only, so it outlives any copy of the handler.
runtime::Awaitable<HandlerOutcome> handle(NotificationMailServices services,
                                          const Delivery& delivery) {
    mail::Notification n;
    std::optional<mail::MailKind> kind;
    try {
        n = mail::parse_notification(delivery.body);
        kind = mail::mail_kind(n);
    } catch (const std::invalid_argument& e) {
        throw PoisonMessage(e.what());
    }
    if (!kind) {
        co_return HandlerOutcome::done();  // an update that changes nothing the mail shows
    }
    const services::CalendarMailer* mailer = services.mailer;
    if (mailer == nullptr) {
        services.metrics.skipped("mail_off");
        kLog.debug("Notification not mailed: smtp.host is not configured",
                   {{"recipient", n.recipient}});
        co_return HandlerOutcome::done();
    }
    if (!mailer->allowed(n.recipient)) {
        services.metrics.skipped("whitelist");
        kLog.info("Notification not mailed: the recipient is not in the whitelist",
                  {{"recipient", n.recipient}, {"method", n.method}});
        co_return HandlerOutcome::done();
    }
    const std::string key = crypto::hex(crypto::sha256(delivery.body));
    const bool reply = *kind == mail::MailKind::Reply;
    const std::string recipient = n.recipient;
    const std::string sender = n.sender;
    auto lookup = [services, key, recipient, sender, reply] {
        Known known;
        known.already_sent = services.ledger.contains(key);
        known.recipient_user = services.users.find_by_email(recipient);
        known.sender_is_resource =
            reply && services::resource_of_address(services.domains, services.resources, sender);
        return known;
    };
    Known known = co_await runtime::run_store_call(services.blocking, lookup);
    if (known.already_sent) {
        services.metrics.skipped("duplicate");
        kLog.info("Notification already mailed: not sent again",
                  {{"recipient", n.recipient}, {"method", n.method}});
        co_return HandlerOutcome::done();
    }
    if (known.sender_is_resource) {
        co_return HandlerOutcome::done();  // a resource's answer is told by the resource mail
    }
    services::MailRequest request;
    try {
        request.facts = mail::mail_facts(n, *kind);
    } catch (const std::invalid_argument& e) {
        throw PoisonMessage(std::string("the event cannot be read: ") + e.what());
    }
    request.facts.links = links_for(services, n, request.facts, known.recipient_user.has_value());
    request.known_users.emplace(n.recipient, known.recipient_user);
    request.ics = n.event;
    request.locale_fallback = n.sender;
    mail::SendOutcome outcome;
    try {
        outcome = co_await mailer->send(request);
    } catch (const mail::TemplateError& e) {
        throw PoisonMessage(std::string("mail template: ") + e.what());
    } catch (const std::invalid_argument& e) {
        throw PoisonMessage(std::string("the mail cannot be written: ") + e.what());
    }
    if (outcome == mail::SendOutcome::Sent) {
        kLog.info("Calendar mail sent", {{"recipient", n.recipient},
                                         {"template", std::string(mail::template_name(*kind))},
                                         {"uid", request.facts.event.uid}});
    }
    auto record = [services, key] {
        services.ledger.record(key);
        return true;
    };
    try {
        co_await runtime::run_store_call(services.blocking, record);
    } catch (const std::exception& e) {
        // The mail is out: acknowledging is right; only a redelivery could now send it twice.
        kLog.warn("Sent mail not recorded", {{"recipient", n.recipient}, {"error", e.what()}});
    }
    co_return HandlerOutcome::done();
}

}  // namespace

Consumer notification_email_consumer(int prefetch, const NotificationMailServices& services) {
    return {with_colon_dead_letter("calendar:event:notificationEmail:send", kQueue), prefetch,
            [services](const Delivery& delivery) { return handle(services, delivery); }};
}

}  // namespace twake::amqp
