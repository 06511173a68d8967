#pragma once

// Fixtures of the mail tests: an invitation, the shipped templates.

#include <filesystem>
#include <string>

namespace twake::mail::test {

inline std::filesystem::path shipped_templates() {
    return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "conf" /
           "mail-templates";
}

// A meeting on 2025-06-02 14:30–15:30 Paris time (12:30 UTC), with a resource.
inline const std::string kInvitation =
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    "PRODID:-//test//EN\r\n"
    "METHOD:REQUEST\r\n"
    "BEGIN:VTIMEZONE\r\n"
    "TZID:Europe/Paris\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "TZOFFSETFROM:+0100\r\n"
    "TZOFFSETTO:+0200\r\n"
    "TZNAME:CEST\r\n"
    "DTSTART:19700329T020000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
    "END:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\n"
    "TZOFFSETFROM:+0200\r\n"
    "TZOFFSETTO:+0100\r\n"
    "TZNAME:CET\r\n"
    "DTSTART:19701025T030000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:meeting-1\r\n"
    "DTSTAMP:20250501T100000Z\r\n"
    "DTSTART;TZID=Europe/Paris:20250602T143000\r\n"
    "DTEND;TZID=Europe/Paris:20250602T153000\r\n"
    "SUMMARY:Réunion d'équipe\\, budget\r\n"
    "LOCATION:https://meet.example.com/room\r\n"
    "DESCRIPTION:Line one\\nLine two\r\n"
    "X-OPENPAAS-VIDEOCONFERENCE:https://jitsi.example.com/abc\r\n"
    "ORGANIZER;CN=Élise Martin:mailto:elise@example.com\r\n"
    "ATTENDEE;CN=Élise Martin;PARTSTAT=ACCEPTED:mailto:elise@example.com\r\n"
    "ATTENDEE;CN=Bob Smith;PARTSTAT=NEEDS-ACTION:mailto:bob@example.org\r\n"
    "ATTENDEE;CN=bob again;PARTSTAT=NEEDS-ACTION:mailto:BOB@example.org\r\n"
    "ATTENDEE;CUTYPE=RESOURCE;CN=Salle Rivoli:mailto:rivoli@example.com\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n";

}  // namespace twake::mail::test
