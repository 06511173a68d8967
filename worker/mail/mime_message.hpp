#pragma once

// Builds the RFC 5322 message of a calendar mail with libvmime (docs/mail.md §4):
// multipart/alternative [text/plain, text/html, text/calendar; method=…] and, for iTIP
// mails, inside multipart/mixed with the same calendar as a meeting.ics attachment.
// Header words outside ASCII are RFC 2047 encoded, lines folded, bodies encoded by vmime.

#include <optional>
#include <string>
#include <vector>

namespace twake::mail {

struct MailAddress {
    std::string name;  // display name, may be empty
    std::string email;
};

struct CalendarPart {
    std::string method;  // REQUEST, REPLY, CANCEL, COUNTER
    std::string ics;     // the VCALENDAR, its METHOD already set
};

struct MailMessage {
    MailAddress from;
    std::vector<MailAddress> to;
    std::string subject;
    std::string text;      // the plain-text alternative
    std::string html;      // the HTML alternative
    std::string language;  // Content-Language of both
    std::optional<CalendarPart> calendar;
    bool auto_generated = false;  // Auto-Submitted: auto-generated
};

// The message with CRLF line ends, ready for DATA.
std::string build_mime(const MailMessage& message);

}  // namespace twake::mail
