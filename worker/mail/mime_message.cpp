#include "worker/mail/mime_message.hpp"

#include <mutex>
#include <vmime/contentDispositionField.hpp>
#include <vmime/platforms/posix/posixHandler.hpp>
#include <vmime/vmime.hpp>

#include "shared/text/uuid.hpp"

namespace twake::mail {

namespace {

// vmime needs its platform handler (random boundaries, host name) before any message.
void init_vmime() {
    static std::once_flag once;
    std::call_once(once,
                   [] { vmime::platform::setHandler<vmime::platforms::posix::posixHandler>(); });
}

vmime::charset utf8() {
    return vmime::charset(vmime::charsets::UTF_8);
}

// The whole value as one UTF-8 word: vmime then writes RFC 2047 encoded words with the
// spaces inside them. Split into words of mixed charsets, spaces between encoded words
// would be lost on decoding (RFC 2047 §6.2).
vmime::text header_text(const std::string& value) {
    return vmime::text(vmime::word(value, utf8()));
}

std::shared_ptr<vmime::mailbox> mailbox(const MailAddress& a) {
    auto box = vmime::make_shared<vmime::mailbox>(vmime::emailAddress(a.email));
    if (!a.name.empty()) {
        box->setName(header_text(a.name));
    }
    return box;
}

// SMTP lines end with CRLF (RFC 5321 §2.3.8); templates and libraries may give bare LFs.
std::string crlf(const std::string& in) {
    std::string out;
    out.reserve(in.size() + in.size() / 32);
    for (size_t i = 0; i < in.size(); ++i) {
        if (in[i] == '\n' && (i == 0 || in[i - 1] != '\r')) {
            out += '\r';
        }
        out += in[i];
    }
    return out;
}

std::shared_ptr<vmime::bodyPart> leaf(const std::string& content, const vmime::mediaType& type,
                                      const char* encoding) {
    auto part = vmime::make_shared<vmime::bodyPart>();
    part->getBody()->setContents(vmime::make_shared<vmime::stringContentHandler>(crlf(content)),
                                 type, utf8(), vmime::encoding(encoding));
    return part;
}

void set_language(vmime::bodyPart& part, const std::string& language) {
    if (!language.empty()) {
        part.getHeader()->getField("Content-Language")->setValue(language);
    }
}

// Fills a multipart/alternative entity (the message itself or a part of it).
void fill_alternatives(vmime::header& header, vmime::body& body, const MailMessage& m) {
    header.ContentType()->setValue(
        vmime::mediaType(vmime::mediaTypes::MULTIPART, vmime::mediaTypes::MULTIPART_ALTERNATIVE));
    auto text =
        leaf(m.text, vmime::mediaType("text", "plain"), vmime::encodingTypes::QUOTED_PRINTABLE);
    set_language(*text, m.language);
    body.appendPart(text);
    auto html =
        leaf(m.html, vmime::mediaType("text", "html"), vmime::encodingTypes::QUOTED_PRINTABLE);
    set_language(*html, m.language);
    body.appendPart(html);
    if (m.calendar) {
        // The iTIP part a calendar client acts on (RFC 6047 §2.4): last, the richest form.
        auto calendar = leaf(m.calendar->ics, vmime::mediaType("text", "calendar"),
                             vmime::encodingTypes::BASE64);
        calendar->getHeader()
            ->findField<vmime::parameterizedHeaderField>(vmime::fields::CONTENT_TYPE)
            ->appendParameter(vmime::make_shared<vmime::parameter>("method", m.calendar->method));
        body.appendPart(calendar);
    }
}

std::shared_ptr<vmime::bodyPart> ics_attachment(const CalendarPart& calendar) {
    auto part =
        leaf(calendar.ics, vmime::mediaType("application", "ics"), vmime::encodingTypes::BASE64);
    auto type =
        part->getHeader()->findField<vmime::parameterizedHeaderField>(vmime::fields::CONTENT_TYPE);
    type->removeAllParameters();  // no charset on a binary attachment, its name instead
    type->appendParameter(vmime::make_shared<vmime::parameter>("name", "meeting.ics"));
    auto disposition = part->getHeader()->ContentDisposition();
    disposition->setValue(vmime::contentDisposition(vmime::contentDispositionTypes::ATTACHMENT));
    vmime::dynamicCast<vmime::contentDispositionField>(disposition)
        ->setFilename(vmime::word("meeting.ics"));
    return part;
}

std::string domain_of(const std::string& email) {
    auto at = email.rfind('@');
    return at == std::string::npos ? "localhost" : email.substr(at + 1);
}

}  // namespace

std::string build_mime(const MailMessage& m) {
    init_vmime();
    vmime::message message;
    auto header = message.getHeader();
    header->From()->setValue(*mailbox(m.from));
    vmime::addressList to;
    for (const auto& recipient : m.to) {
        to.appendAddress(mailbox(recipient));
    }
    header->To()->setValue(to);
    header->Subject()->setValue(header_text(m.subject));
    header->Date()->setValue(vmime::datetime::now());
    header->MessageId()->setValue(
        vmime::messageId(twake::text::random_uuid(), domain_of(m.from.email)));
    header->MimeVersion()->setValue(std::string("1.0"));
    if (m.auto_generated) {
        header->getField("Auto-Submitted")->setValue("auto-generated");
    }

    if (m.calendar) {
        header->ContentType()->setValue(
            vmime::mediaType(vmime::mediaTypes::MULTIPART, vmime::mediaTypes::MULTIPART_MIXED));
        auto alternative = vmime::make_shared<vmime::bodyPart>();
        fill_alternatives(*alternative->getHeader(), *alternative->getBody(), m);
        message.getBody()->appendPart(alternative);
        message.getBody()->appendPart(ics_attachment(*m.calendar));
    } else {
        fill_alternatives(*header, *message.getBody(), m);
    }

    std::string out;
    vmime::utility::outputStreamStringAdapter stream(out);
    message.generate(stream);
    return out;
}

}  // namespace twake::mail
