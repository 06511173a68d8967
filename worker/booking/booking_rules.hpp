#pragma once

// Who decides a resource booking (docs/reference/rabbitmq.md §3.6): a resource nobody
// administers, or one its organizer administers, accepts at once; otherwise its administrators
// are asked, and the organizer is told their answer.

#include <optional>
#include <string>
#include <vector>

namespace twake::booking {

enum class RequestDecision {
    AutoAccept,         // no administrator, or the organizer is one
    AskAdministrators,  // mail each administrator the accept and decline links
    Nothing,            // administrators but no organizer: nobody to ask for
};

// `administrators` and `organizer` are addresses, compared case-insensitively.
RequestDecision on_request(const std::vector<std::string>& administrators,
                           const std::optional<std::string>& organizer);

// Whether the organizer is mailed the resource's answer: the resource has administrators
// and the organizer is not one of them (who answered knows already).
bool tell_organizer(const std::vector<std::string>& administrators,
                    const std::optional<std::string>& organizer);

}  // namespace twake::booking
