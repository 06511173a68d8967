#pragma once

// Sends one calendar mail (docs/mail.md): the recipient's language and time zone from their
// settings (or, for an external recipient of an iTIP mail, the sender's), the templates, the
// MIME message and SMTP — the blocking parts on the blocking pool.

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "worker/config/worker_config.hpp"
#include "worker/mail/mail_composer.hpp"
#include "worker/mail/mail_locale.hpp"
#include "worker/mail/mail_metrics.hpp"
#include "worker/mail/recipient_whitelist.hpp"
#include "worker/mail/smtp_sender.hpp"
#include "worker/runtime/awaitable.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/store/configuration_store.hpp"
#include "worker/store/user_store.hpp"

namespace twake::services {

// One mail to send; the mailer fills in what the stores know.
struct MailRequest {
    mail::MailFacts facts;
    std::string ics;  // the event with its iTIP METHOD (ignored for the resource mails)
    // Whose settings choose the language when the recipient is no user; empty: none.
    std::string locale_fallback;
    // Users the caller already looked up, by lower-cased address (nullopt: no user has it):
    // not looked up again.
    std::map<std::string, std::optional<store::User>> known_users;
};

class CalendarMailer {
  public:
    // `config.mail` must be set (smtp.host configured).
    CalendarMailer(const config::WorkerConfig& config, store::UserStore& users,
                   store::ConfigurationStore& configurations, runtime::BlockingPool& blocking,
                   mail::MailMetrics& metrics);

    // Whether mail.imip.recipient.whitelist lets mail go to `address`.
    bool allowed(const std::string& address) const;

    // The language and time zone of a user's mails; both absent for an address that is no
    // user. Blocking.
    mail::LocaleSettings locale_settings(const std::string& address) const;

    // Sends one mail. Throws
    // mail::SmtpError when the server did not take it, mail::TemplateError for a broken
    // template, std::invalid_argument for an event the mail cannot describe,
    // runtime::DeadlineExceeded when it took longer than the SMTP bounds allow.
    runtime::Awaitable<mail::SendOutcome> send(const MailRequest& request) const;

    // What `send` does, on the calling thread. Blocking.
    mail::SendOutcome send_now(const MailRequest& request) const;

    mail::MailMetrics& metrics() const { return metrics_; }

  private:
    mail::SendOutcome write_and_send(const MailRequest& request) const;
    mail::LocaleSettings settings_of_user(const store::User& user) const;

    const config::WorkerConfig& config_;
    const mail::MailConfig& mail_;
    store::UserStore& users_;
    store::ConfigurationStore& configurations_;
    runtime::BlockingPool& blocking_;
    mail::MailMetrics& metrics_;
    mail::MailTemplates templates_;
    mail::RecipientWhitelist whitelist_;
    mail::SmtpSender sender_;
};

}  // namespace twake::services
