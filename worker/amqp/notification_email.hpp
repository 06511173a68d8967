#pragma once

// The `calendar:event:notificationEmail:send` consumer (docs/reference/rabbitmq.md §3.5): each
// message is one mail to one recipient — invitation, update, cancellation, reply or
// counter-proposal — written and sent by the calendar mailer, once.

#include "shared/jwt/jwt_signer.hpp"
#include "worker/amqp/consumer.hpp"
#include "worker/config/worker_config.hpp"
#include "worker/mail/mail_metrics.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/services/calendar_mailer.hpp"
#include "worker/store/resource_store.hpp"
#include "worker/store/sent_mail_ledger.hpp"
#include "worker/store/user_store.hpp"

namespace twake::amqp {

// All outlive the consumer.
struct NotificationMailServices {
    const config::WorkerConfig& config;
    const services::CalendarMailer* mailer;  // nullptr: mail is off (no smtp.host)
    store::SentMailLedger& ledger;
    store::UserStore& users;
    store::DomainStore& domains;
    store::ResourceStore& resources;
    const jwt::JwtSigner* signer;  // nullptr: no participation links (no jwt.key.private)
    mail::MailMetrics& metrics;
    runtime::BlockingPool& blocking;
};

Consumer notification_email_consumer(int prefetch, const NotificationMailServices& services);

}  // namespace twake::amqp
