#pragma once

// A collection's sync token as esn-sabre answers it to its user (docs/reference/realtime.md
// §3.3): the check of a registration and the content of a push.

#include <optional>
#include <string>
#include <string_view>

#include "worker/realtime/collection_path.hpp"

namespace twake::realtime {

struct TokenAnswer {
    enum class Outcome { Token, Forbidden, NotFound, Error };
    Outcome outcome = Outcome::Error;
    std::string token;  // Token only
};

// The token member of esn-sabre's JSON: `calendarserver:ctag` for a calendar, `dav:syncToken`
// for an address book (a number is written as its decimal text); nullopt when absent or empty.
std::optional<std::string> token_from_json(std::string_view body, CollectionKind kind);

// What an answer of esn-sabre means: 200 with a token, 403, 404, anything else an error.
TokenAnswer token_answer(int status, std::string_view body, CollectionKind kind);

}  // namespace twake::realtime
