#include "worker/mail/participation_link.hpp"

#include "shared/identity/address.hpp"
#include "shared/json/json.hpp"

namespace twake::mail {

namespace {

constexpr const char* kAccepted = "ACCEPTED";
constexpr const char* kRejected = "REJECTED";
constexpr const char* kTentative = "TENTATIVE";

std::string without_trailing_slash(std::string url) {
    while (!url.empty() && url.back() == '/') {
        url.pop_back();
    }
    return url;
}

std::optional<std::string> address_claim(const cJSON* claims, const char* name) {
    auto value = json::string_member(claims, name);
    if (!value || !identity::parse_address(*value)) {
        return std::nullopt;
    }
    return value;
}

std::optional<std::string> non_empty_claim(const cJSON* claims, const char* name) {
    auto value = json::string_member(claims, name);
    if (!value || value->empty()) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

std::string participation_link(const jwt::JwtSigner& signer, const std::string& excal_url,
                               const Participation& participation, const std::string& action,
                               std::chrono::sys_seconds now) {
    json::Json claims = json::Json::object();
    claims.set("attendeeEmail", participation.attendee)
        .set("organizerEmail", participation.organizer)
        .set("uid", participation.uid)
        .set("calendarURI", participation.calendar_home)
        .set("action", action)
        .set("iat", static_cast<double>(now.time_since_epoch().count()));
    return without_trailing_slash(excal_url) + "/excal/?jwt=" + signer.sign(claims);
}

ParticipationLinks participation_links(const jwt::JwtSigner& signer, const std::string& excal_url,
                                       const Participation& participation,
                                       std::chrono::sys_seconds now) {
    return {participation_link(signer, excal_url, participation, kAccepted, now),
            participation_link(signer, excal_url, participation, kRejected, now),
            participation_link(signer, excal_url, participation, kTentative, now)};
}

std::optional<ParticipationClaims> read_participation_claims(const cJSON* claims) {
    auto attendee = address_claim(claims, "attendeeEmail");
    auto organizer = address_claim(claims, "organizerEmail");
    auto uid = non_empty_claim(claims, "uid");
    auto home = non_empty_claim(claims, "calendarURI");
    auto action = json::string_member(claims, "action");
    if (!attendee || !organizer || !uid || !home || !action ||
        (*action != kAccepted && *action != kRejected && *action != kTentative)) {
        return std::nullopt;
    }
    return ParticipationClaims{{*attendee, *organizer, *uid, *home}, *action};
}

std::string partstat_of_action(std::string_view action) {
    return action == kRejected ? "DECLINED" : std::string(action);
}

}  // namespace twake::mail
