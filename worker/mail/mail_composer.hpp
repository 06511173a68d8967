#pragma once

// From the facts of a notification to a message ready for the SMTP sender: the model, the
// templates in the recipient's language, From and To, the iTIP part (docs/mail.md §2).

#include <string>

#include "worker/mail/mail_model.hpp"
#include "worker/mail/mail_templates.hpp"
#include "worker/mail/mime_message.hpp"
#include "worker/mail/smtp_sender.hpp"

namespace twake::mail {

struct ComposedMail {
    MailMessage message;
    Envelope envelope;
};

// `ics` is the notification's calendar (ignored for the resource mails); `service_sender`
// is mail.sender, From of the mails no person sends.
ComposedMail compose_mail(const MailTemplates& templates, const MailFacts& facts,
                          const MailLocale& locale, const std::string& ics,
                          const std::string& service_sender);

}  // namespace twake::mail
