#include "worker/services/resource_participation.hpp"

#include "shared/text/percent.hpp"
#include "worker/booking/attendee_partstat.hpp"
#include "worker/runtime/store_call.hpp"
#include "worker/services/partstat_rewrite.hpp"

namespace twake::services {

namespace {

struct Sources {
    store::ResourceStore& resources;
    store::DomainStore& domains;
    dav::DavClient& dav;
};

// Blocking.
ParticipationResult answer_now(const Sources& from, const std::string& resource_id,
                               const std::string& event_id, const std::string& partstat) {
    auto resource = from.resources.find_by_id(resource_id);
    auto domain = resource && !resource->deleted ? from.domains.find_by_id(resource->domain_id)
                                                 : std::nullopt;
    if (!domain) {
        return ParticipationResult::UnknownResource;
    }
    const std::string address = resource->id + "@" + domain->name;
    const std::string path = "/calendars/" + resource->id + "/" + resource->id + "/" +
                             text::percent_encode(event_id) + ".ics";
    PartstatRewrite rewrite{[&] { return from.dav.calendar_object(path, domain->id); },
                            [&](const std::string& ical) {
                                return booking::set_attendee_partstat(ical, address, partstat);
                            },
                            [&](const std::string& ical, const std::string& etag) {
                                return from.dav.replace_calendar_object(path, ical, etag,
                                                                        domain->id);
                            }};
    switch (rewrite_partstat(rewrite)) {
        case RewriteOutcome::Written:
            return ParticipationResult::Updated;
        case RewriteOutcome::Unchanged:
            return ParticipationResult::Unchanged;
        case RewriteOutcome::NotAnAttendee:
            return ParticipationResult::NotAnAttendee;
        case RewriteOutcome::Missing:
        case RewriteOutcome::Cancelled:
            break;
    }
    return ParticipationResult::UnknownEvent;
}

}  // namespace

runtime::Awaitable<ParticipationResult> ResourceParticipation::answer(
    const std::string& resource_id, const std::string& event_id,
    const std::string& partstat) const {
    auto work = [from = Sources{resources_, domains_, dav_}, resource_id, event_id, partstat] {
        return answer_now(from, resource_id, event_id, partstat);
    };
    co_return co_await runtime::run_store_call(blocking_, work);
}

}  // namespace twake::services
