#include "worker/mail/local_time.hpp"

#include <unicode/dtptngen.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>

#include <map>
#include <memory>
#include <stdexcept>
#include <string_view>

namespace twake::mail {

namespace {

std::unique_ptr<icu::TimeZone> zone_of(const std::string& timezone) {
    std::unique_ptr<icu::TimeZone> zone(
        icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(timezone)));
    if (!zone || *zone == icu::TimeZone::getUnknown()) {
        zone.reset(icu::TimeZone::createTimeZone("UTC"));
    }
    return zone;
}

void check(UErrorCode status, const char* what) {
    if (U_FAILURE(status)) {
        throw std::runtime_error(std::string(what) + ": " + u_errorName(status));
    }
}

// A skeleton names the fields wanted; ICU gives them in the order and words of the locale.
// Building a formatter costs far more than formatting (locale data, pattern generation): each
// thread keeps the formatters it built, by language, skeleton and zone.
const icu::SimpleDateFormat& formatter(const icu::Locale& locale, const char* skeleton,
                                       const icu::TimeZone& zone) {
    constexpr std::size_t kMaxKept = 512;  // languages × zones actually used stay far below
    thread_local std::map<std::string, std::unique_ptr<icu::SimpleDateFormat>> kept;
    icu::UnicodeString zone_id;
    zone.getID(zone_id);
    std::string key = std::string(locale.getName()) + '|' + skeleton + '|';
    zone_id.toUTF8String(key);
    auto it = kept.find(key);
    if (it != kept.end()) {
        return *it->second;
    }
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString pattern(skeleton);
    if (std::string_view(skeleton) != "yyyy-MM-dd") {
        std::unique_ptr<icu::DateTimePatternGenerator> generator(
            icu::DateTimePatternGenerator::createInstance(locale, status));
        check(status, "ICU pattern generator");
        pattern = generator->getBestPattern(skeleton, status);
        check(status, "ICU pattern generator");
    }
    auto built = std::make_unique<icu::SimpleDateFormat>(pattern, locale, status);
    check(status, "ICU date format");
    built->setTimeZone(zone);
    if (kept.size() >= kMaxKept) {
        kept.clear();
    }
    return *kept.emplace(std::move(key), std::move(built)).first->second;
}

std::string format(const icu::Locale& locale, const icu::TimeZone& zone, const char* skeleton,
                   UDate when) {
    icu::UnicodeString out;
    formatter(locale, skeleton, zone).format(when, out);
    std::string utf8;
    out.toUTF8String(utf8);
    return utf8;
}

}  // namespace

bool known_timezone(const std::string& timezone) {
    std::unique_ptr<icu::TimeZone> zone(
        icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(timezone)));
    return zone && *zone != icu::TimeZone::getUnknown();
}

LocalTime local_time(const EventTime& value, const std::string& language,
                     const std::string& timezone) {
    UErrorCode status = U_ZERO_ERROR;
    icu::Locale locale = icu::Locale::forLanguageTag(language.empty() ? "en" : language, status);
    if (U_FAILURE(status)) {
        locale = icu::Locale::getEnglish();
    }
    const char* iso_date = "yyyy-MM-dd";  // a pattern, not a skeleton
    LocalTime out;
    if (value.date) {
        // A calendar date is shown as such: formatted at noon UTC, no zone can move it.
        auto utc = zone_of("UTC");
        UDate noon = static_cast<UDate>(
            (std::chrono::sys_days(*value.date) + std::chrono::hours(12)).time_since_epoch() /
            std::chrono::milliseconds(1));
        out.date = format(locale, *utc, iso_date, noon);
        out.full_date = format(locale, *utc, "yMMMMEEEEd", noon);
        out.full_date_time = out.full_date;
        out.timezone = timezone;
        return out;
    }
    auto zone = zone_of(timezone);
    UDate when =
        static_cast<UDate>(value.instant.time_since_epoch() / std::chrono::milliseconds(1));
    out.date = format(locale, *zone, iso_date, when);
    out.time = format(locale, *zone, "Hm", when);
    out.full_date = format(locale, *zone, "yMMMMEEEEd", when);
    out.full_date_time = format(locale, *zone, "yMMMMEEEEdHm", when);
    icu::UnicodeString id;
    zone->getID(id);
    id.toUTF8String(out.timezone);
    return out;
}

}  // namespace twake::mail
