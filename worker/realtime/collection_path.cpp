#include "worker/realtime/collection_path.hpp"

#include <vector>

namespace twake::realtime {

namespace {

constexpr std::string_view kCalendars = "calendars";
constexpr std::string_view kAddressBooks = "addressbooks";

bool usable_segment(std::string_view segment) {
    if (segment.empty() || segment == "." || segment == "..") {
        return false;
    }
    for (char c : segment) {
        auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f || c == '?' || c == '#' || c == '\\' || c == ':') {
            return false;
        }
    }
    return true;
}

// The segments of an absolute path; nullopt when it is not absolute or has an empty segment
// (a trailing `/` is allowed and dropped).
std::optional<std::vector<std::string_view>> segments(std::string_view text) {
    if (!text.starts_with('/')) {
        return std::nullopt;
    }
    text.remove_prefix(1);
    if (text.ends_with('/')) {
        text.remove_suffix(1);
    }
    std::vector<std::string_view> out;
    while (true) {
        auto slash = text.find('/');
        out.push_back(text.substr(0, slash));
        if (slash == std::string_view::npos) {
            break;
        }
        text.remove_prefix(slash + 1);
    }
    return out;
}

std::optional<CollectionKind> kind_of(std::string_view prefix) {
    if (prefix == kCalendars) {
        return CollectionKind::Calendar;
    }
    if (prefix == kAddressBooks) {
        return CollectionKind::AddressBook;
    }
    return std::nullopt;
}

}  // namespace

std::string CollectionPath::path() const {
    return "/" + std::string(kind == CollectionKind::Calendar ? kCalendars : kAddressBooks) + "/" +
           home + "/" + name;
}

std::string CollectionPath::key() const {
    return std::string(kind == CollectionKind::Calendar ? "calendar:" : "addressbook:") + home +
           ":" + name;
}

std::optional<CollectionPath> parse_collection_path(std::string_view text) {
    auto parts = segments(text);
    if (!parts || parts->size() != 3) {
        return std::nullopt;
    }
    auto kind = kind_of((*parts)[0]);
    if (!kind || !usable_segment((*parts)[1]) || !usable_segment((*parts)[2])) {
        return std::nullopt;
    }
    return CollectionPath{*kind, std::string((*parts)[1]), std::string((*parts)[2])};
}

std::optional<CollectionPath> calendar_of_object_path(std::string_view text) {
    if (text.ends_with('/')) {
        return std::nullopt;  // a collection, not an object
    }
    auto parts = segments(text);
    if (!parts || parts->size() != 4 || (*parts)[0] != kCalendars || !usable_segment((*parts)[1]) ||
        !usable_segment((*parts)[2]) || (*parts)[3].empty()) {
        return std::nullopt;
    }
    return CollectionPath{CollectionKind::Calendar, std::string((*parts)[1]),
                          std::string((*parts)[2])};
}

std::optional<CollectionPath> parse_collection_key(std::string_view key) {
    auto first = key.find(':');
    if (first == std::string_view::npos) {
        return std::nullopt;
    }
    std::string_view prefix = key.substr(0, first);
    std::optional<CollectionKind> kind;
    if (prefix == "calendar") {
        kind = CollectionKind::Calendar;
    } else if (prefix == "addressbook") {
        kind = CollectionKind::AddressBook;
    } else {
        return std::nullopt;
    }
    std::string_view rest = key.substr(first + 1);
    auto second = rest.find(':');
    if (second == std::string_view::npos) {
        return std::nullopt;
    }
    std::string_view home = rest.substr(0, second);
    std::string_view name = rest.substr(second + 1);
    if (!usable_segment(home) || !usable_segment(name)) {
        return std::nullopt;
    }
    return CollectionPath{*kind, std::string(home), std::string(name)};
}

}  // namespace twake::realtime
