#pragma once

// An uploaded vCard file cut into its cards for an import (docs/reference/rest-api.md §17.2),
// vCard 3.0 and 4.0 alike. Each card is written as the file has it but for its identity: a new
// UID replaces any, PRODID goes; the DAV server checks the rest. Pure code.

#include <string>
#include <string_view>
#include <vector>

#include "worker/imports/ics_split.hpp"

namespace twake::imports {

// The cards' places in the text (BEGIN:VCARD to END:VCARD). Throws errors::InvalidInput when
// the text holds no card, or a card is not ended.
std::vector<TextSpan> split_vcards(std::string_view text);

// The card at `span` with `uid` as its only UID and without PRODID (CRLF line ends).
std::string card_with_uid(std::string_view text, TextSpan span, const std::string& uid);

// The value of the card's first EMAIL (any group), empty when it has none.
std::string first_email(std::string_view text, TextSpan span);

}  // namespace twake::imports
