#include "worker/search/calendar_sources.hpp"

#include <algorithm>

#include "shared/json/json.hpp"

namespace twake::search {

namespace {

const cJSON* member(const cJSON* object, const char* key) {
    return object != nullptr ? cJSON_GetObjectItemCaseSensitive(object, key) : nullptr;
}

std::optional<std::string> self_href(const cJSON* object) {
    return json::string_member(member(member(object, "_links"), "self"), "href");
}

}  // namespace

std::optional<CalendarUrl> calendar_url_of_href(std::string_view href) {
    // An absolute URL names the same path: keep what follows the authority.
    if (auto scheme = href.find("://"); scheme != std::string_view::npos) {
        auto path = href.find('/', scheme + 3);
        href = path == std::string_view::npos ? std::string_view() : href.substr(path);
    }
    if (auto query = href.find_first_of("?#"); query != std::string_view::npos) {
        href = href.substr(0, query);
    }
    constexpr std::string_view kPrefix = "/calendars/";
    if (!href.starts_with(kPrefix)) {
        return std::nullopt;
    }
    href.remove_prefix(kPrefix.size());
    if (href.ends_with('/')) {
        href.remove_suffix(1);
    }
    if (href.ends_with(".json")) {
        href.remove_suffix(5);
    }
    auto slash = href.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == href.size() ||
        href.find('/', slash + 1) != std::string_view::npos) {
        return std::nullopt;
    }
    return CalendarUrl(href);
}

std::vector<ListedCalendar> listed_calendars(std::string_view list_json) {
    std::vector<ListedCalendar> out;
    auto doc = json::Json::parse(list_json);
    if (!doc) {
        return out;
    }
    const cJSON* entries = member(member(doc->get(), "_embedded"), "dav:calendar");
    if (!cJSON_IsArray(entries)) {
        return out;
    }
    const cJSON* entry = nullptr;
    cJSON_ArrayForEach(entry, entries) {
        auto href = self_href(entry);
        auto listed = href ? calendar_url_of_href(*href) : std::nullopt;
        if (!listed) {
            continue;
        }
        std::optional<CalendarUrl> source;
        if (auto subscribed = self_href(member(entry, "calendarserver:source"))) {
            source = calendar_url_of_href(*subscribed);
        }
        if (!source) {
            if (auto delegated = json::string_member(entry, "calendarserver:delegatedsource")) {
                source = calendar_url_of_href(*delegated);
            }
        }
        out.push_back({*listed, source.value_or(*listed)});
    }
    return out;
}

std::vector<CalendarUrl> searched_calendars(const std::vector<CalendarUrl>& requested,
                                            const std::vector<ListedCalendar>& listed) {
    std::vector<CalendarUrl> out;
    for (const CalendarUrl& calendar : requested) {
        // The first entry of a calendar wins, as esn-sabre lists it.
        auto entry = std::find_if(listed.begin(), listed.end(),
                                  [&](const ListedCalendar& l) { return l.listed == calendar; });
        const CalendarUrl& source = entry != listed.end() ? entry->source : calendar;
        bool allowed = std::any_of(listed.begin(), listed.end(),
                                   [&](const ListedCalendar& l) { return l.source == source; });
        if (allowed && std::find(out.begin(), out.end(), source) == out.end()) {
            out.push_back(source);
        }
    }
    return out;
}

}  // namespace twake::search
