#pragma once

// The body of POST /api/import (docs/reference/rest-api.md §17.2): which upload, into which
// calendar or address book. Pure; refusals throw errors::InvalidInput with upstream's details.

#include <string>

namespace twake::imports {

struct ImportTarget {
    bool address_book = false;  // /addressbooks/… rather than /calendars/…
    std::string home;
    std::string collection;  // calendar or address book id, without ".json"
};

struct ImportRequest {
    std::string file_id;
    std::string target;  // as sent
};

// {"fileId": "…", "target": "/calendars/{home}/{calendar}.json"}.
ImportRequest parse_import_request(const std::string& body);

// Splits the target on '/': home is the third part, the collection the fourth without
// ".json"; `Invalid target path` for fewer parts, an empty one, or another first segment.
ImportTarget parse_import_target(const std::string& target);

}  // namespace twake::imports
