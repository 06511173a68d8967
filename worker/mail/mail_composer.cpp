#include "worker/mail/mail_composer.hpp"

#include <stdexcept>

#include "worker/mail/calendar_event.hpp"

namespace twake::mail {

namespace {

MailAddress address(const Person& p) {
    return MailAddress{p.name, p.email};
}

// Invitations, updates and cancellations come from the organizer; replies and counters
// from the attendee who acted; resource mails from the service (docs/mail.md §2).
MailAddress from_of(const MailFacts& facts, const std::string& service_sender) {
    switch (facts.kind) {
        case MailKind::Invite:
        case MailKind::Update:
        case MailKind::Cancel:
            if (!facts.event.organizer) {
                throw std::invalid_argument("the event has no ORGANIZER");
            }
            return address(*facts.event.organizer);
        case MailKind::Reply:
        case MailKind::Counter:
            if (!facts.actor) {
                throw std::invalid_argument("a reply or counter mail needs its attendee");
            }
            return address(*facts.actor);
        default:
            return MailAddress{"", service_sender};
    }
}

}  // namespace

ComposedMail compose_mail(const MailTemplates& templates, const MailFacts& facts,
                          const MailLocale& locale, const std::string& ics,
                          const std::string& service_sender) {
    RenderedMail rendered =
        templates.render(facts.kind, locale.language, build_model(facts, locale));
    ComposedMail out;
    MailMessage& m = out.message;
    m.from = from_of(facts, service_sender);
    m.to.push_back(address(facts.recipient));
    m.subject = rendered.subject;
    m.text = rendered.text;
    m.html = rendered.html;
    m.language = rendered.language;
    if (auto method = itip_method(facts.kind)) {
        m.calendar = CalendarPart{*method, with_method(ics, *method)};
    }
    m.auto_generated = facts.kind == MailKind::Cancel || facts.kind == MailKind::Reply;
    out.envelope.sender = m.from.email;
    out.envelope.recipients.push_back(facts.recipient.email);
    return out;
}

}  // namespace twake::mail
