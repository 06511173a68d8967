#include "worker/services/resource_bookings.hpp"

#include <vector>

#include "shared/crypto/digest.hpp"
#include "shared/log/log.hpp"
#include "worker/booking/booking_rules.hpp"
#include "worker/booking/resource_link.hpp"
#include "worker/runtime/store_call.hpp"

namespace twake::services {

namespace {

const log::Logger kLog("worker.resources");

std::vector<std::string> administrator_addresses(const ResourceView& view) {
    std::vector<std::string> out;
    for (const auto& a : view.administrators) {
        out.push_back(a.email);
    }
    return out;
}

std::optional<std::string> organizer_of(const mail::CalendarEvent& event) {
    if (!event.organizer || event.organizer->email.empty()) {
        return std::nullopt;
    }
    return event.organizer->email;
}

const char* result_name(ParticipationResult result) {
    switch (result) {
        case ParticipationResult::Updated:
            return "accepted";
        case ParticipationResult::Unchanged:
            return "already accepted";
        case ParticipationResult::UnknownResource:
            return "unknown resource";
        case ParticipationResult::UnknownEvent:
            return "no such copy, or cancelled";
        case ParticipationResult::NotAnAttendee:
            return "not an attendee of its copy";
    }
    return "";
}

}  // namespace

runtime::Awaitable<std::optional<ResourceView>> ResourceBookings::bookable(
    const ResourceEvent& event) const {
    auto view = co_await resources_.find(event.resource_id);
    if (!view || view->resource.deleted) {
        kLog.info("Resource message for an unknown or deleted resource: ignored",
                  {{"resource", event.resource_id}, {"event", event.event_id}});
        co_return std::nullopt;
    }
    co_return view;
}

runtime::Awaitable<void> ResourceBookings::requested(const ResourceEvent& request) const {
    auto view = co_await bookable(request);
    if (!view) {
        co_return;
    }
    const std::vector<std::string> administrators = administrator_addresses(*view);
    switch (booking::on_request(administrators, organizer_of(request.event))) {
        case booking::RequestDecision::AutoAccept:
            co_await accept(request);
            co_return;
        case booking::RequestDecision::Nothing:
            kLog.info("Resource invitation without organizer: nobody to ask",
                      {{"resource", request.resource_id}, {"event", request.event_id}});
            co_return;
        case booking::RequestDecision::AskAdministrators:
            break;
    }
    if (mailer_ == nullptr) {
        kLog.warn("Resource booking not mailed to its administrators: smtp.host is not configured",
                  {{"resource", request.resource_id}, {"event", request.event_id}});
        co_return;
    }
    MailRequest mail;
    mail.facts.kind = mail::MailKind::ResourceRequest;
    mail.facts.event = request.event;
    mail.facts.resource_name = view->resource.name;
    mail.facts.links = links(request);
    for (const auto& administrator : administrators) {
        if (!mailer_->allowed(administrator)) {
            continue;
        }
        mail.facts.recipient = mail::Person{"", administrator, ""};
        const std::string key = "resource-request " + request.digest + " " + administrator;
        co_await mail_once(mail, key);
    }
}

runtime::Awaitable<void> ResourceBookings::answered(const ResourceEvent& answer,
                                                    const std::string& partstat) const {
    auto view = co_await bookable(answer);
    if (!view) {
        co_return;
    }
    auto organizer = organizer_of(answer.event);
    if (!booking::tell_organizer(administrator_addresses(*view), organizer)) {
        co_return;
    }
    if (mailer_ == nullptr) {
        kLog.warn("Resource answer not mailed to the organizer: smtp.host is not configured",
                  {{"resource", answer.resource_id}, {"event", answer.event_id}});
        co_return;
    }
    if (!mailer_->allowed(*organizer)) {
        co_return;
    }
    MailRequest mail;
    mail.facts.kind = mail::MailKind::ResourceReply;
    mail.facts.event = answer.event;
    mail.facts.recipient = mail::Person{"", *organizer, ""};
    mail.facts.resource_name = view->resource.name;
    mail.facts.partstat = partstat;
    const std::string key = "resource-reply " + answer.digest + " " + *organizer;
    co_await mail_once(mail, key);
}

runtime::Awaitable<void> ResourceBookings::accept(const ResourceEvent& request) const {
    const std::string accepted = "ACCEPTED";
    ParticipationResult result =
        co_await participation_.answer(request.resource_id, request.event_id, accepted);
    kLog.info("Resource invitation accepted at once", {{"resource", request.resource_id},
                                                       {"event", request.event_id},
                                                       {"result", result_name(result)}});
}

mail::MailLinks ResourceBookings::links(const ResourceEvent& request) const {
    mail::MailLinks out;
    if (signer_ == nullptr) {
        kLog.warn("Resource booking mailed without links: jwt.key.private is not configured",
                  {{"resource", request.resource_id}});
        return out;
    }
    std::string token = signer_->sign(
        booking::resource_link_claims(request.resource_id, request.event_id,
                                      std::chrono::system_clock::now(), config_.jwt_validity));
    out.accept = booking::resource_participation_url(config_.self_url, request.resource_id,
                                                     request.event_id, "ACCEPTED", token);
    out.decline = booking::resource_participation_url(config_.self_url, request.resource_id,
                                                      request.event_id, "DECLINED", token);
    return out;
}

runtime::Awaitable<void> ResourceBookings::mail_once(const MailRequest& mail,
                                                     const std::string& key) const {
    const std::string digest = crypto::hex(crypto::sha256(key));
    auto seen = [&ledger = ledger_, digest] { return ledger.contains(digest); };
    if (co_await runtime::run_store_call(blocking_, seen)) {
        kLog.info("Resource mail already sent: not sent again",
                  {{"recipient", mail.facts.recipient.email}});
        co_return;
    }
    mail::SendOutcome outcome = co_await mailer_->send(mail);
    if (outcome == mail::SendOutcome::Sent) {
        kLog.info("Calendar mail sent",
                  {{"recipient", mail.facts.recipient.email},
                   {"template", std::string(mail::template_name(mail.facts.kind))},
                   {"uid", mail.facts.event.uid}});
    }
    auto record = [&ledger = ledger_, digest] {
        ledger.record(digest);
        return true;
    };
    try {
        co_await runtime::run_store_call(blocking_, record);
    } catch (const std::exception& e) {
        // The mail is out: only a redelivery of the message could now send it twice.
        kLog.warn("Sent mail not recorded",
                  {{"recipient", mail.facts.recipient.email}, {"error", e.what()}});
    }
}

}  // namespace twake::services
