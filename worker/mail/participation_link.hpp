#pragma once

// The participation links of invitation mails (docs/reference/auth.md §6.2): an attendee's
// "yes / no / maybe" as `{spa.excal.url}/excal/?jwt=<token>`, the token an RS256 JWT naming the
// attendee, the organizer, the event and the answer, without `exp`. Minted for the mails and
// again in the answer of GET /calendar/api/calendars/event/participation
// (docs/reference/rest-api.md §16), and read back there. Pure.

#include <cjson/cJSON.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "shared/jwt/jwt_signer.hpp"

namespace twake::mail {

// Whose answer to which event a link carries.
struct Participation {
    std::string attendee;   // attendeeEmail
    std::string organizer;  // organizerEmail
    std::string uid;        // the event's UID
    // calendarURI: the calendar home of the copy the mail was about (the attendee's own for a
    // user, the organizer's for an external attendee).
    std::string calendar_home;
};

// The verified claims of a link: who, and `action` ACCEPTED, REJECTED or TENTATIVE.
struct ParticipationClaims {
    Participation participation;
    std::string action;
};

// The three links, in the order the mails show them.
struct ParticipationLinks {
    std::string yes;    // ACCEPTED
    std::string no;     // REJECTED
    std::string maybe;  // TENTATIVE
};

// The link of one answer: `{excal_url without trailing /}/excal/?jwt=` and the token.
std::string participation_link(const jwt::JwtSigner& signer, const std::string& excal_url,
                               const Participation& participation, const std::string& action,
                               std::chrono::sys_seconds now);

ParticipationLinks participation_links(const jwt::JwtSigner& signer, const std::string& excal_url,
                                       const Participation& participation,
                                       std::chrono::sys_seconds now);

// The claims of a token whose signature and time claims were checked: nullopt unless all five
// are strings, both emails are addresses, `uid` and `calendarURI` are not empty and `action` is
// exactly one of the three names.
std::optional<ParticipationClaims> read_participation_claims(const cJSON* claims);

// The PARTSTAT an action sets: ACCEPTED, DECLINED (for REJECTED) or TENTATIVE.
std::string partstat_of_action(std::string_view action);

}  // namespace twake::mail
