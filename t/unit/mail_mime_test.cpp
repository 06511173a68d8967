// The MIME structure of a calendar mail, parsed back with vmime (docs/mail.md §4).

#include <gtest/gtest.h>

#include <vmime/vmime.hpp>

#include "mail_test_support.hpp"
#include "worker/mail/calendar_event.hpp"
#include "worker/mail/mail_composer.hpp"
#include "worker/mail/mime_message.hpp"

namespace twake::mail {
namespace {

std::string decoded(const vmime::bodyPart& part) {
    std::string out;
    vmime::utility::outputStreamStringAdapter stream(out);
    part.getBody()->getContents()->extract(stream);
    return out;
}

std::string type_of(const vmime::bodyPart& part) {
    return part.getBody()->getContentType().generate();
}

MailMessage invitation() {
    MailMessage m;
    m.from = {"Élise Martin", "elise@example.com"};
    m.to = {{"Bob Smith", "bob@example.org"}};
    m.subject =
        "Invitation : Réunion d'équipe — un sujet assez long pour être replié sur plusieurs "
        "lignes d'en-tête";
    m.text = "Bonjour,\nune ligne très longue " + std::string(200, 'x') + "\n";
    m.html = "<p>Bonjour</p>";
    m.language = "fr";
    m.calendar = CalendarPart{"REQUEST", with_method(test::kInvitation, "REQUEST")};
    return m;
}

TEST(MimeMessage, MixedHoldsAlternativeThenTheIcsAttachment) {
    std::string raw = build_mime(invitation());
    vmime::message message;
    message.parse(raw);

    EXPECT_EQ(type_of(message), "multipart/mixed");
    ASSERT_EQ(message.getBody()->getPartCount(), 2u);
    auto alternative = message.getBody()->getPartAt(0);
    EXPECT_EQ(type_of(*alternative), "multipart/alternative");
    ASSERT_EQ(alternative->getBody()->getPartCount(), 3u);
    auto text = alternative->getBody()->getPartAt(0);
    auto html = alternative->getBody()->getPartAt(1);
    auto calendar = alternative->getBody()->getPartAt(2);
    EXPECT_EQ(type_of(*text), "text/plain");
    EXPECT_EQ(type_of(*html), "text/html");
    EXPECT_EQ(type_of(*calendar), "text/calendar");
    EXPECT_EQ(html->getHeader()->findField("Content-Language")->getValue()->generate(), "fr");
    EXPECT_EQ(decoded(*text),
              "Bonjour,\r\nune ligne très longue " + std::string(200, 'x') + "\r\n");
    EXPECT_EQ(decoded(*html), "<p>Bonjour</p>");

    auto ctype = calendar->getHeader()->findField<vmime::parameterizedHeaderField>("Content-Type");
    EXPECT_EQ(ctype->getParameter("method")->getValue().getBuffer(), "REQUEST");
    EXPECT_EQ(ctype->getParameter("charset")->getValue().getBuffer(), "utf-8");
    EXPECT_NE(decoded(*calendar).find("METHOD:REQUEST"), std::string::npos);

    auto ics = message.getBody()->getPartAt(1);
    EXPECT_EQ(type_of(*ics), "application/ics");
    auto disposition =
        ics->getHeader()->findField<vmime::parameterizedHeaderField>("Content-Disposition");
    EXPECT_EQ(disposition->getValue()->generate(), "attachment");
    EXPECT_EQ(disposition->getParameter("filename")->getValue().getBuffer(), "meeting.ics");
    EXPECT_EQ(decoded(*ics), decoded(*calendar));
}

TEST(MimeMessage, HeadersAreRfc2047AndLinesShort) {
    std::string raw = build_mime(invitation());
    auto end_of_headers = raw.find("\r\n\r\n");
    std::string headers = raw.substr(0, end_of_headers);
    // Non-ASCII names and subjects travel as encoded words; no 8-bit byte in the headers.
    EXPECT_NE(headers.find("=?utf-8?"), std::string::npos) << headers;
    for (unsigned char c : headers) {
        EXPECT_LT(c, 0x80);
    }
    size_t start = 0;
    while (start < raw.size()) {
        size_t end = raw.find("\r\n", start);
        if (end == std::string::npos) {
            end = raw.size();
        }
        EXPECT_LE(end - start, 78u) << raw.substr(start, end - start);
        start = end + 2;
    }

    vmime::message message;
    message.parse(raw);
    auto header = message.getHeader();
    EXPECT_EQ(header->Subject()->getValue<vmime::text>()->getConvertedText(vmime::charsets::UTF_8),
              invitation().subject);
    auto from = header->From()->getValue<vmime::mailbox>();
    EXPECT_EQ(from->getName().getConvertedText(vmime::charsets::UTF_8), "Élise Martin");
    EXPECT_EQ(from->getEmail().generate(), "elise@example.com");
    EXPECT_NE(header->MessageId()->getValue()->generate().find("@example.com>"), std::string::npos);
    EXPECT_EQ(header->MimeVersion()->getValue()->generate(), "1.0");
    EXPECT_FALSE(header->hasField("Auto-Submitted"));
}

TEST(MimeMessage, WithoutCalendarOnlyTheAlternatives) {
    MailMessage m = invitation();
    m.calendar.reset();
    m.auto_generated = true;
    vmime::message message;
    message.parse(build_mime(m));
    EXPECT_EQ(type_of(message), "multipart/alternative");
    EXPECT_EQ(message.getBody()->getPartCount(), 2u);
    EXPECT_EQ(message.getHeader()->findField("Auto-Submitted")->getValue()->generate(),
              "auto-generated");
}

TEST(MailComposer, InviteFromTheOrganizerInTheRecipientsLanguage) {
    MailTemplates templates("", test::shipped_templates());
    MailFacts facts;
    facts.kind = MailKind::Invite;
    facts.event = read_first_event(test::kInvitation);
    facts.recipient = Person{"Bob Smith", "bob@example.org", ""};
    ComposedMail mail = compose_mail(templates, facts, {"fr", "Europe/Paris"}, test::kInvitation,
                                     "noreply@example.com");
    EXPECT_EQ(mail.envelope.sender, "elise@example.com");
    EXPECT_EQ(mail.envelope.recipients, std::vector<std::string>{"bob@example.org"});
    EXPECT_EQ(mail.message.language, "fr");
    ASSERT_TRUE(mail.message.calendar);
    EXPECT_EQ(mail.message.calendar->method, "REQUEST");

    facts.kind = MailKind::ResourceRequest;
    ComposedMail resource =
        compose_mail(templates, facts, {"en", "UTC"}, "", "noreply@example.com");
    EXPECT_EQ(resource.envelope.sender, "noreply@example.com");
    EXPECT_FALSE(resource.message.calendar);
}

}  // namespace
}  // namespace twake::mail
