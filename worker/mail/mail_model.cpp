#include "worker/mail/mail_model.hpp"

#include "worker/mail/lead_time.hpp"
#include "worker/mail/local_time.hpp"

namespace twake::mail {

namespace {

using kainjow::mustache::data;

data person(const Person& p) {
    data d;
    d.set("name", p.name);
    d.set("email", p.email);
    d.set("display", p.name.empty() ? p.email : p.name);
    if (!p.partstat.empty()) {
        d.set("partstat", p.partstat);
    }
    return d;
}

data people(const std::vector<Person>& list) {
    data d(data::type::list);
    for (const auto& p : list) {
        d.push_back(person(p));
    }
    return d;
}

data time(const EventTime& t, const MailLocale& locale) {
    LocalTime local = local_time(t, locale.language, locale.timezone);
    data d;
    d.set("date", local.date);
    d.set("time", local.time);
    d.set("fullDate", local.full_date);
    d.set("fullDateTime", local.full_date_time);
    d.set("timezone", local.timezone);
    return d;
}

bool absolute_url(const std::string& s) {
    return s.starts_with("https://") || s.starts_with("http://");
}

// Optional text: absent from the model when empty, so that a section hides it.
void set_text(data& d, const std::string& key, const std::string& value) {
    if (!value.empty()) {
        d.set(key, value);
    }
}

data event(const CalendarEvent& e, const MailLocale& locale) {
    data d;
    d.set("uid", e.uid);
    d.set("summary", e.summary);
    if (e.organizer) {
        d.set("organizer", person(*e.organizer));
    }
    d.set("attendees", people(e.attendees));
    d.set("resources", people(e.resources));
    d.set("hasResources", !e.resources.empty());
    std::string joined;
    for (const auto& r : e.resources) {
        joined += (joined.empty() ? "" : ", ") + (r.name.empty() ? r.email : r.name);
    }
    d.set("resourcesJoined", joined);
    if (!e.location.empty()) {
        data location;
        location.set("value", e.location);
        location.set("isUrl", absolute_url(e.location));
        d.set("location", location);
    }
    set_text(d, "description", e.description);
    set_text(d, "comment", e.comment);
    set_text(d, "videoConferenceLink", e.video_conference_link);
    d.set("allDay", e.all_day);
    d.set("start", time(e.start, locale));
    if (e.end) {
        d.set("end", time(*e.end, locale));
    }
    return d;
}

data links(const MailLinks& l) {
    data d;
    set_text(d, "yes", l.yes);
    set_text(d, "no", l.no);
    set_text(d, "maybe", l.maybe);
    set_text(d, "seeInCalendar", l.see_in_calendar);
    set_text(d, "accept", l.accept);
    set_text(d, "decline", l.decline);
    d.set("participation", !l.yes.empty() || !l.no.empty() || !l.maybe.empty());
    return d;
}

data previous(const std::string& value) {
    data d;
    d.set("previous", value);
    return d;
}

data previous(const EventTime& value, const MailLocale& locale) {
    data d;
    d.set("previous", time(value, locale));
    return d;
}

data changes(const EventChanges& c, const MailLocale& locale) {
    data d;
    if (c.summary) {
        d.set("summary", previous(*c.summary));
    }
    if (c.location) {
        d.set("location", previous(*c.location));
    }
    if (c.description) {
        d.set("description", previous(*c.description));
    }
    if (c.start) {
        d.set("start", previous(*c.start, locale));
    }
    if (c.end) {
        d.set("end", previous(*c.end, locale));
    }
    return d;
}

void set_partstat(data& d, const std::string& partstat) {
    d.set("partstat", partstat);
    d.set("accepted", partstat == "ACCEPTED");
    d.set("declined", partstat == "DECLINED");
    d.set("tentative", partstat == "TENTATIVE");
}

// The keys of upstream's import templates (jobSucceedCount…), each failed item's values
// exposed directly rather than under a map.
void set_import_report(data& d, const ImportReport& report) {
    d.set("baseUrl", report.base_url);
    d.set("jobSucceedCount", std::to_string(report.succeeded));
    d.set("jobFailedCount", std::to_string(report.failed.size()));
    d.set("hasFailures", !report.failed.empty());
    data items(data::type::list);
    for (const auto& item : report.failed) {
        data entry;
        for (const auto& [key, value] : item) {
            if (!value.empty()) {
                entry.set(key, value);
            }
        }
        items.push_back(entry);
    }
    d.set("jobFailedList", items);
}

}  // namespace

std::string_view template_name(MailKind kind) {
    switch (kind) {
        case MailKind::Invite:
            return "event-invite";
        case MailKind::Update:
            return "event-update";
        case MailKind::Cancel:
            return "event-cancel";
        case MailKind::Reply:
            return "event-reply";
        case MailKind::Counter:
            return "event-counter";
        case MailKind::ResourceRequest:
            return "resource-request";
        case MailKind::ResourceReply:
            return "resource-reply";
        case MailKind::Alarm:
            return "event-alarm";
        case MailKind::ImportCalendar:
            return "import-calendar";
        case MailKind::ImportContacts:
            return "import-contacts";
    }
    return "event-invite";
}

std::optional<std::string> itip_method(MailKind kind) {
    switch (kind) {
        case MailKind::Invite:
        case MailKind::Update:
            return "REQUEST";
        case MailKind::Cancel:
            return "CANCEL";
        case MailKind::Reply:
            return "REPLY";
        case MailKind::Counter:
            return "COUNTER";
        default:
            return std::nullopt;
    }
}

MailModel build_model(const MailFacts& facts, const MailLocale& locale) {
    data d;
    d.set("language", locale.language);
    d.set("timezone", locale.timezone);
    d.set("recipient", person(facts.recipient));
    d.set("event", event(facts.event, locale));
    d.set("links", links(facts.links));
    if (facts.actor) {
        d.set("actor", person(*facts.actor));
    }
    switch (facts.kind) {
        case MailKind::Update:
            d.set("changes", changes(facts.changes, locale));
            break;
        case MailKind::Reply:
            set_partstat(d, facts.partstat);
            break;
        case MailKind::Counter:
            if (facts.old_event) {
                d.set("oldEvent", event(*facts.old_event, locale));
            }
            break;
        case MailKind::ResourceRequest:
            d.set("resourceName", facts.resource_name);
            break;
        case MailKind::ResourceReply:
            d.set("resourceName", facts.resource_name);
            set_partstat(d, facts.partstat);
            d.set("approved", facts.partstat == "ACCEPTED");
            break;
        case MailKind::Alarm:
            d.set("duration", lead_time_text(facts.time_until_start, locale.language));
            break;
        case MailKind::ImportCalendar:
        case MailKind::ImportContacts:
            set_import_report(d, facts.import_report);
            break;
        default:
            break;
    }
    return d;
}

}  // namespace twake::mail
