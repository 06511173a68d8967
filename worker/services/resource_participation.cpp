#include "worker/services/resource_participation.hpp"

#include <thread>

#include "shared/text/percent.hpp"
#include "worker/booking/attendee_partstat.hpp"
#include "worker/runtime/store_call.hpp"

namespace twake::services {

namespace {

using Edit = booking::PartstatEdit::Outcome;

// Writes lost to a concurrent change are tried again this many times, after 100 ms,
// 200 ms… (as upstream does).
constexpr int kWrites = 5;
constexpr std::chrono::milliseconds kFirstPause{100};

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
    std::chrono::milliseconds pause = kFirstPause;
    for (int write = 1;; ++write) {
        auto copy = from.dav.calendar_object(path, domain->id);
        if (!copy) {
            return ParticipationResult::UnknownEvent;
        }
        booking::PartstatEdit edit = booking::set_attendee_partstat(copy->ical, address, partstat);
        switch (edit.outcome) {
            case Edit::Cancelled:
                return ParticipationResult::UnknownEvent;
            case Edit::NotAnAttendee:
                return ParticipationResult::NotAnAttendee;
            case Edit::Unchanged:
                return ParticipationResult::Unchanged;
            case Edit::Changed:
                break;
        }
        if (from.dav.replace_calendar_object(path, edit.ical, copy->etag, domain->id)) {
            return ParticipationResult::Updated;
        }
        if (write == kWrites) {
            throw dav::DavError("the resource's copy kept changing while its answer was written");
        }
        std::this_thread::sleep_for(pause);
        pause *= 2;
    }
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
