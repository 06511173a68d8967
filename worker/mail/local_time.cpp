#include "worker/mail/local_time.hpp"

#include <unicode/dtptngen.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>

#include <memory>
#include <stdexcept>

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
icu::UnicodeString localized(const icu::Locale& locale, const char* skeleton) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::DateTimePatternGenerator> generator(
        icu::DateTimePatternGenerator::createInstance(locale, status));
    check(status, "ICU pattern generator");
    icu::UnicodeString pattern = generator->getBestPattern(skeleton, status);
    check(status, "ICU pattern generator");
    return pattern;
}

std::string format(const icu::Locale& locale, const icu::TimeZone& zone,
                   const icu::UnicodeString& pattern, UDate when) {
    UErrorCode status = U_ZERO_ERROR;
    icu::SimpleDateFormat formatter(pattern, locale, status);
    check(status, "ICU date format");
    formatter.setTimeZone(zone);
    icu::UnicodeString out;
    formatter.format(when, out);
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
    const icu::UnicodeString iso_date("yyyy-MM-dd");
    LocalTime out;
    if (value.date) {
        // A calendar date is shown as such: formatted at noon UTC, no zone can move it.
        auto utc = zone_of("UTC");
        UDate noon = static_cast<UDate>(
            (std::chrono::sys_days(*value.date) + std::chrono::hours(12)).time_since_epoch() /
            std::chrono::milliseconds(1));
        out.date = format(locale, *utc, iso_date, noon);
        out.full_date = format(locale, *utc, localized(locale, "yMMMMEEEEd"), noon);
        out.full_date_time = out.full_date;
        out.timezone = timezone;
        return out;
    }
    auto zone = zone_of(timezone);
    UDate when =
        static_cast<UDate>(value.instant.time_since_epoch() / std::chrono::milliseconds(1));
    out.date = format(locale, *zone, iso_date, when);
    out.time = format(locale, *zone, localized(locale, "Hm"), when);
    out.full_date = format(locale, *zone, localized(locale, "yMMMMEEEEd"), when);
    out.full_date_time = format(locale, *zone, localized(locale, "yMMMMEEEEdHm"), when);
    icu::UnicodeString id;
    zone->getID(id);
    id.toUTF8String(out.timezone);
    return out;
}

}  // namespace twake::mail
