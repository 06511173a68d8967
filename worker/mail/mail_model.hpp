#pragma once

// The model each mail template receives (docs/mail.md §5): what the notification says,
// turned into Mustache data in the recipient's language and time zone.

#include <chrono>
#include <kainjow/mustache.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "worker/mail/calendar_event.hpp"
#include "worker/mail/mail_locale.hpp"

namespace twake::mail {

enum class MailKind {
    Invite,
    Update,
    Cancel,
    Reply,
    Counter,
    ResourceRequest,
    ResourceReply,
    Alarm,
    ImportCalendar,  // an import's report (docs/reference/rest-api.md §17.3)
    ImportContacts,
};

// The template folder of a kind: event-invite, event-update, …
std::string_view template_name(MailKind kind);
// The iTIP method the mail carries; nullopt for the resource mails (no calendar part).
std::optional<std::string> itip_method(MailKind kind);

// What an update changed: the previous values (docs/mail.md §5.1).
struct EventChanges {
    std::optional<std::string> summary;
    std::optional<std::string> location;
    std::optional<std::string> description;
    std::optional<EventTime> start;
    std::optional<EventTime> end;
};

// Links the caller computed (participation tokens, the calendar's URL); empty: not shown.
struct MailLinks {
    std::string yes, no, maybe;  // invite, update
    std::string see_in_calendar;
    std::string accept, decline;  // resource-request
};

// What an import did, for its report mail: the items written and the ones refused, each a
// few named values (uid, summary, start, end for events; email for contacts).
struct ImportReport {
    std::string base_url;  // spa.calendar.url or spa.contacts.url
    int succeeded = 0;
    std::vector<std::vector<std::pair<std::string, std::string>>> failed;
};

struct MailFacts {
    MailKind kind = MailKind::Invite;
    CalendarEvent event;  // for a counter: the proposed event
    Person recipient;
    // The one who acted: canceler, replying attendee, counter's author.
    std::optional<Person> actor;
    std::string partstat;                    // reply, resource-reply: ACCEPTED, DECLINED, TENTATIVE
    EventChanges changes;                    // update
    std::optional<CalendarEvent> old_event;  // counter
    std::string resource_name;               // resource mails
    std::chrono::minutes time_until_start{0};  // alarm
    ImportReport import_report;                // import-calendar, import-contacts
    MailLinks links;
};

using MailModel = kainjow::mustache::data;

MailModel build_model(const MailFacts& facts, const MailLocale& locale);

}  // namespace twake::mail
