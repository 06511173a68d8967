#pragma once

// The collections a socket can register (docs/reference/realtime.md §2): a calendar
// `/calendars/{home}/{calendar}` or an address book `/addressbooks/{home}/{book}`, and the key
// a push names it by (`calendar:{home}:{calendar}`, `addressbook:{home}:{book}`).

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace twake::realtime {

enum class CollectionKind { Calendar, AddressBook };

struct CollectionPath {
    CollectionKind kind = CollectionKind::Calendar;
    std::string home;
    std::string name;

    // "/calendars/{home}/{name}" or "/addressbooks/{home}/{name}", without trailing slash.
    std::string path() const;
    // "calendar:{home}:{name}" or "addressbook:{home}:{name}".
    std::string key() const;

    auto operator<=>(const CollectionPath&) const = default;
};

// Exactly `/calendars/{home}/{cal}` or `/addressbooks/{home}/{book}`, one optional trailing `/`;
// segments non-empty, not `.` or `..`, printable ASCII without `?`, `#`, `\` or spaces (they
// end up in a URL of esn-sabre). Nullopt for anything else.
std::optional<CollectionPath> parse_collection_path(std::string_view text);

// The calendar of an object path as esn-sabre publishes it (`eventPath`:
// `/calendars/{home}/{cal}/{file}.ics`); nullopt when it is not one.
std::optional<CollectionPath> calendar_of_object_path(std::string_view text);

// The inverse of CollectionPath::key(); nullopt for another key.
std::optional<CollectionPath> parse_collection_key(std::string_view key);

}  // namespace twake::realtime
