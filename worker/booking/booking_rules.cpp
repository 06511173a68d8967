#include "worker/booking/booking_rules.hpp"

#include <algorithm>

#include "shared/identity/address.hpp"

namespace twake::booking {

namespace {

bool administers(const std::vector<std::string>& administrators, const std::string& address) {
    return std::any_of(administrators.begin(), administrators.end(), [&](const std::string& a) {
        return identity::equal_ignoring_case(a, address);
    });
}

}  // namespace

RequestDecision on_request(const std::vector<std::string>& administrators,
                           const std::optional<std::string>& organizer) {
    if (administrators.empty()) {
        return RequestDecision::AutoAccept;
    }
    if (!organizer) {
        return RequestDecision::Nothing;
    }
    return administers(administrators, *organizer) ? RequestDecision::AutoAccept
                                                   : RequestDecision::AskAdministrators;
}

bool tell_organizer(const std::vector<std::string>& administrators,
                    const std::optional<std::string>& organizer) {
    return !administrators.empty() && organizer && !administers(administrators, *organizer);
}

}  // namespace twake::booking
