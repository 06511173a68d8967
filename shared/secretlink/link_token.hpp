#pragma once

// Secret-link tokens (docs/reference/auth.md §6.1, docs/reference/rest-api.md §9): a calendar's
// .ics is readable by whoever holds its link. The worker mints links and says whose a token is; the
// edge serves the download. Pure functions, apart from the random bytes.

#include <optional>
#include <string>
#include <string_view>

namespace twake::secretlink {

// 22 bytes from the CSPRNG, base64url without padding: 30 characters of [A-Za-z0-9_-].
std::string new_link_token();

// The download's `token` once trimmed: nullopt when it holds a character outside
// [A-Za-z0-9_-] (a 400); an empty result means no token (a 403).
std::optional<std::string> read_link_token(std::string_view raw);

// A calendar home or calendar id as it may appear in a DAV path: letters, digits, '.', '-', '_'
// (esn-sabre's ids are ObjectIds and UUIDs), never "." or "..".
bool valid_path_segment(std::string_view segment);

struct CalendarPath {
    std::string home;
    std::string calendar;
};
// The download's path, /api/calendars/{home}/{calendar}/calendar.ics, with valid segments.
std::optional<CalendarPath> download_path(std::string_view path);

// "<self.url>/api/calendars/<home>/<calendar>/calendar.ics?token=<token>"; `self_url` without a
// trailing '/'.
std::string link_url(std::string_view self_url, std::string_view home, std::string_view calendar,
                     std::string_view token);

// Where esn-sabre exports the calendar, from its JSON metadata (docs/reference/rest-api.md §9.2
// step 3): the source's path for a subscription, the calendar's own otherwise. Nullopt when a
// subscription names no source href.
std::optional<std::string> export_path(std::string_view home, std::string_view calendar,
                                       std::string_view metadata_json);

}  // namespace twake::secretlink
