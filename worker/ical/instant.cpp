#include "worker/ical/instant.hpp"

#include <unicode/basictz.h>
#include <unicode/timezone.h>

#include <map>
#include <memory>

namespace twake::ical {

namespace {

// ICU's zone of that name, nullptr when ICU does not know it. Each thread keeps the zones it
// looked up (a few dozen in practice).
const icu::BasicTimeZone* icu_zone(const std::string& name) {
    thread_local std::map<std::string, std::unique_ptr<icu::TimeZone>> kept;
    auto it = kept.find(name);
    if (it == kept.end()) {
        std::unique_ptr<icu::TimeZone> zone(
            icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(name)));
        if (zone && *zone == icu::TimeZone::getUnknown()) {
            zone.reset();
        }
        if (kept.size() >= 1024) {
            kept.clear();
        }
        it = kept.emplace(name, std::move(zone)).first;
    }
    return dynamic_cast<const icu::BasicTimeZone*>(it->second.get());
}

std::chrono::sys_seconds wall_clock(const icaltimetype& t) {
    namespace c = std::chrono;
    c::sys_days date = c::year_month_day(c::year(t.year), c::month(static_cast<unsigned>(t.month)),
                                         c::day(static_cast<unsigned>(t.day)));
    return date + c::hours(t.hour) + c::minutes(t.minute) + c::seconds(t.second);
}

}  // namespace

std::optional<std::chrono::sys_seconds> instant_in(const icaltimetype& wall,
                                                   const std::string& zone_name) {
    const icu::BasicTimeZone* zone = icu_zone(zone_name);
    if (zone == nullptr) {
        return std::nullopt;
    }
    // The offset in force at that wall-clock time; of the two readings of an ambiguous time
    // (the hour repeated when clocks go back), the first, as RFC 5545 §3.3.5 says.
    UDate local = static_cast<UDate>(wall_clock(wall).time_since_epoch().count()) * 1000.0;
    int32_t raw = 0, dst = 0;
    UErrorCode status = U_ZERO_ERROR;
    zone->getOffsetFromLocal(local, UCAL_TZ_LOCAL_FORMER, UCAL_TZ_LOCAL_FORMER, raw, dst, status);
    if (U_FAILURE(status)) {
        return std::nullopt;
    }
    return wall_clock(wall) - std::chrono::seconds((raw + dst) / 1000);
}

std::string zone_name(const icaltimetype& t) {
    if (t.is_date || t.zone == nullptr || icaltime_is_utc(t)) {
        return "UTC";
    }
    auto* zone = const_cast<icaltimezone*>(t.zone);
    const char* location = icaltimezone_get_location(zone);
    if (location != nullptr && *location != '\0') {
        return location;
    }
    const char* tzid = icaltimezone_get_tzid(zone);
    std::string name = tzid != nullptr ? tzid : "UTC";
    // libical's own zones are named /freeassociation.sourceforge.net/[Tzfile/]Area/City.
    constexpr std::string_view kPrefix = "/freeassociation.sourceforge.net/";
    if (name.starts_with(kPrefix)) {
        name.erase(0, kPrefix.size());
        if (name.starts_with("Tzfile/")) {
            name.erase(0, 7);
        }
    }
    return name;
}

std::chrono::sys_seconds instant_of(const icaltimetype& t) {
    if (t.is_date || t.zone == nullptr || icaltime_is_utc(t)) {
        return wall_clock(t);
    }
    if (auto known = instant_in(t, zone_name(t))) {
        return *known;
    }
    return std::chrono::sys_seconds(
        std::chrono::seconds(icaltime_as_timet_with_zone(t, const_cast<icaltimezone*>(t.zone))));
}

}  // namespace twake::ical
