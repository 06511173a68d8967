#include "worker/services/event_participation.hpp"

#include "shared/identity/address.hpp"
#include "shared/log/log.hpp"
#include "worker/booking/attendee_partstat.hpp"
#include "worker/runtime/store_call.hpp"
#include "worker/services/partstat_rewrite.hpp"
#include "worker/settings/user_settings.hpp"

namespace twake::services {

namespace {

using Outcome = EventAnswer::Outcome;

const log::Logger kLog("worker.api.participation");

struct Sources {
    const config::WorkerConfig& config;
    store::UserStore& users;
    store::ConfigurationStore& configurations;
    dav::DavClient& dav;
};

// The language of a user's settings; nullopt for an address that is no user or whose settings
// cannot be read.
std::optional<std::string> language_of(const Sources& from,
                                       const std::optional<store::User>& user) {
    if (!user || !user->domain_id) {
        return std::nullopt;
    }
    try {
        json::Json stored = from.configurations.read(user->id, *user->domain_id);
        return settings::UserSettings(from.config, stored.get()).language();
    } catch (const std::exception& e) {
        kLog.warn("Participation: settings not read", {{"error", e.what()}});
        return std::nullopt;
    }
}

// Sets the answer in the copy at `href`, as `acting`.
Outcome write_answer(const Sources& from, const std::string& acting, const std::string& href,
                     const std::string& attendee, const std::string& partstat) {
    PartstatRewrite rewrite{
        [&] { return from.dav.calendar_object_as(acting, href); },
        [&](const std::string& ical) {
            auto now = std::chrono::time_point_cast<std::chrono::seconds>(
                std::chrono::system_clock::now());
            return booking::answer_in_first_event(ical, attendee, partstat, now);
        },
        [&](const std::string& ical, const std::string& etag) {
            return from.dav.replace_calendar_object_as(acting, href, ical, etag);
        }};
    switch (rewrite_partstat(rewrite)) {
        case RewriteOutcome::Written:
            return Outcome::Updated;
        case RewriteOutcome::Unchanged:
            return Outcome::Unchanged;
        case RewriteOutcome::NotAnAttendee:
            return Outcome::NotAnAttendee;
        case RewriteOutcome::Missing:
        case RewriteOutcome::Cancelled:
            break;
    }
    return Outcome::UnknownEvent;
}

// Blocking.
EventAnswer answer_now(const Sources& from, const mail::Participation& p,
                       const std::string& partstat) {
    EventAnswer out;
    auto attendee_user = from.users.find_by_email(identity::lower(p.attendee));
    const std::string acting = attendee_user ? p.attendee : p.organizer;
    auto report = from.dav.report_by_uid(acting, p.calendar_home, p.uid);
    auto href = report ? dav::first_item_href(*report) : std::nullopt;
    if (!href) {
        return out;
    }
    out.outcome = write_answer(from, acting, *href, p.attendee, partstat);
    if (out.outcome != Outcome::Updated && out.outcome != Outcome::Unchanged) {
        return out;
    }
    report = from.dav.report_by_uid(acting, p.calendar_home, p.uid);
    auto event = report ? dav::first_item_data(*report) : std::nullopt;
    if (!event) {
        out.outcome = Outcome::UnknownEvent;  // deleted in between
        return out;
    }
    out.event = std::move(*event);
    // An internal attendee reads the page in its language, falling back to the organizer's;
    // an external one in the organizer's.
    std::optional<std::string> language =
        attendee_user ? language_of(from, attendee_user) : std::nullopt;
    if (!language) {
        language = language_of(from, from.users.find_by_email(identity::lower(p.organizer)));
    }
    out.locale = language_code(language.value_or("en"));
    return out;
}

}  // namespace

std::string language_code(std::string_view tag) {
    std::string_view language = tag.substr(0, tag.find_first_of("-_"));
    return language.empty() ? "en" : identity::lower(language);
}

runtime::Awaitable<EventAnswer> EventParticipation::answer(const mail::Participation& participation,
                                                           const std::string& partstat) const {
    auto work = [from = Sources{config_, users_, configurations_, dav_}, participation, partstat] {
        return answer_now(from, participation, partstat);
    };
    co_return co_await runtime::run_store_call(blocking_, work);
}

}  // namespace twake::services
