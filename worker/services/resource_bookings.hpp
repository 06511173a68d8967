#pragma once

// The work behind the resource consumers (docs/reference/rabbitmq.md §3.6): an invitation to a
// resource is accepted at once, or its administrators are mailed accept and decline links
// (docs/reference/rest-api.md §10.3); the resource's answer is mailed to the organizer. Each
// mail goes once per message and recipient (the sent-mail ledger). Throws what its parts throw:
// dav::DavError, mail::SmtpError, mail::TemplateError, runtime::DeadlineExceeded.

#include <string>

#include "shared/jwt/jwt_signer.hpp"
#include "worker/config/worker_config.hpp"
#include "worker/mail/calendar_event.hpp"
#include "worker/runtime/awaitable.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/services/calendar_mailer.hpp"
#include "worker/services/resource_participation.hpp"
#include "worker/services/resources.hpp"
#include "worker/store/sent_mail_ledger.hpp"

namespace twake::services {

// A resource message of esn-sabre, read.
struct ResourceEvent {
    std::string resource_id;
    // An invitation: the resource's copy's file name without `.ics`; an answer: the UID.
    std::string event_id;
    mail::CalendarEvent event;  // the first VEVENT of the resource's copy
    std::string digest;         // of the message: each recipient is mailed once per message
};

class ResourceBookings {
  public:
    // `mailer` nullptr: no mail (no smtp.host); `signer` nullptr: no links (no
    // jwt.key.private). All outlive the consumers.
    ResourceBookings(const config::WorkerConfig& config, const Resources& resources,
                     const ResourceParticipation& participation, const CalendarMailer* mailer,
                     const jwt::JwtSigner* signer, store::SentMailLedger& ledger,
                     runtime::BlockingPool& blocking)
        : config_(config),
          resources_(resources),
          participation_(participation),
          mailer_(mailer),
          signer_(signer),
          ledger_(ledger),
          blocking_(blocking) {}

    // `resource:calendar:event:created`.
    runtime::Awaitable<void> requested(const ResourceEvent& request) const;
    // `resource:calendar:event:accepted` or `…:declined`: `partstat` ACCEPTED or DECLINED.
    runtime::Awaitable<void> answered(const ResourceEvent& answer,
                                      const std::string& partstat) const;

  private:
    const config::WorkerConfig& config_;
    Resources resources_;
    ResourceParticipation participation_;
    const CalendarMailer* mailer_;
    const jwt::JwtSigner* signer_;
    store::SentMailLedger& ledger_;
    runtime::BlockingPool& blocking_;

    // The resource, unless unknown or deleted (logged).
    runtime::Awaitable<std::optional<ResourceView>> bookable(const ResourceEvent& event) const;
    runtime::Awaitable<void> accept(const ResourceEvent& request) const;
    mail::MailLinks links(const ResourceEvent& request) const;
    // Sends unless the ledger knows `key`, then records it.
    runtime::Awaitable<void> mail_once(const MailRequest& mail, const std::string& key) const;
};

}  // namespace twake::services
