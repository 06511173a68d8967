#pragma once

// A resource's answer to an event it is invited to (docs/reference/rabbitmq.md §3.6): the
// PARTSTAT of its ATTENDEE in its own copy, /calendars/{resource}/{resource}/{event}.ics,
// read and written with its domain's technical token; written again from a fresh read when
// the copy changed in between. esn-sabre then sends the organizer the resource's REPLY.
// On the blocking pool under the storage deadline; an unreachable or refusing esn-sabre
// throws dav::DavError.

#include <string>

#include "worker/dav/dav_client.hpp"
#include "worker/runtime/awaitable.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/store/domain_store.hpp"
#include "worker/store/resource_store.hpp"

namespace twake::services {

enum class ParticipationResult {
    Updated,
    Unchanged,        // it already had that answer
    UnknownResource,  // no such resource, deleted, or its domain is gone
    UnknownEvent,     // no such copy, or the event is cancelled
    NotAnAttendee,    // the copy does not list the resource
};

class ResourceParticipation {
  public:
    ResourceParticipation(runtime::BlockingPool& blocking, store::ResourceStore& resources,
                          store::DomainStore& domains, dav::DavClient& dav)
        : blocking_(blocking), resources_(resources), domains_(domains), dav_(dav) {}

    // `event_id` is the copy's file name without `.ics`; `partstat` ACCEPTED or DECLINED.
    runtime::Awaitable<ParticipationResult> answer(const std::string& resource_id,
                                                   const std::string& event_id,
                                                   const std::string& partstat) const;

  private:
    runtime::BlockingPool& blocking_;
    store::ResourceStore& resources_;
    store::DomainStore& domains_;
    dav::DavClient& dav_;
};

}  // namespace twake::services
