#pragma once

// An attendee's answer through an e-mailed participation link (docs/reference/rest-api.md §16):
// the PARTSTAT of its ATTENDEE in the first VEVENT of the copy the link names, written as the
// attendee when it is a user of the service (its own copy), else as the organizer (the
// organizer's copy). The write is an ordinary DAV change: esn-sabre's scheduling then sends the
// organizer the reply. Nothing is written when the attendee already gave that answer. On the
// blocking pool under the storage deadline; an unreachable or refusing esn-sabre throws
// dav::DavError.

#include <string>
#include <string_view>

#include "shared/json/json.hpp"
#include "worker/config/worker_config.hpp"
#include "worker/dav/dav_client.hpp"
#include "worker/mail/participation_link.hpp"
#include "worker/runtime/awaitable.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/store/configuration_store.hpp"
#include "worker/store/user_store.hpp"

namespace twake::services {

struct EventAnswer {
    enum class Outcome {
        Updated,
        Unchanged,      // the attendee had already given that answer
        UnknownEvent,   // no such event in the home, or it is cancelled
        NotAnAttendee,  // the event's first VEVENT does not list the attendee
    };
    Outcome outcome = Outcome::UnknownEvent;
    json::Json event;    // the event as jCal, read after the answer (Updated, Unchanged)
    std::string locale;  // the language the answer page is shown in (a code: "fr")
};

class EventParticipation {
  public:
    EventParticipation(const config::WorkerConfig& config, runtime::BlockingPool& blocking,
                       store::UserStore& users, store::ConfigurationStore& configurations,
                       dav::DavClient& dav)
        : config_(config),
          blocking_(blocking),
          users_(users),
          configurations_(configurations),
          dav_(dav) {}

    // `partstat` ACCEPTED, DECLINED or TENTATIVE.
    runtime::Awaitable<EventAnswer> answer(const mail::Participation& participation,
                                           const std::string& partstat) const;

  private:
    const config::WorkerConfig& config_;
    runtime::BlockingPool& blocking_;
    store::UserStore& users_;
    store::ConfigurationStore& configurations_;
    dav::DavClient& dav_;
};

// The language of a BCP 47 tag or Java locale (fr-CA, pt_BR → fr, pt), lower-cased; "en" when
// empty.
std::string language_code(std::string_view tag);

}  // namespace twake::services
