#pragma once

// The conditional rewrite of an attendee's answer in a copy of an event, shared by the
// resource booking answer and the invitation links (docs/reference/rest-api.md §10.3, §16):
// read the copy, edit its text, write it back over the version read (If-Match), and on a lost
// race read and edit again, at most five writes, 100 ms apart then doubling (as upstream).
// Blocking.

#include <functional>
#include <optional>
#include <string>

#include "worker/booking/attendee_partstat.hpp"
#include "worker/dav/dav_client.hpp"

namespace twake::services {

struct PartstatRewrite {
    // The copy as it is now; nullopt when there is none.
    std::function<std::optional<dav::CalendarObject>()> read;
    // The answer set in a copy's text.
    std::function<booking::PartstatEdit(const std::string& ical)> edit;
    // Writes `ical` over the version `etag` names; false when the copy changed meanwhile.
    std::function<bool(const std::string& ical, const std::string& etag)> write;
};

enum class RewriteOutcome {
    Written,
    Unchanged,      // the copy already had that answer: nothing written
    Missing,        // no copy
    Cancelled,      // the event is cancelled
    NotAnAttendee,  // the copy does not list the attendee
};

// Throws dav::DavError when esn-sabre fails or the copy kept changing.
RewriteOutcome rewrite_partstat(const PartstatRewrite& rewrite);

}  // namespace twake::services
