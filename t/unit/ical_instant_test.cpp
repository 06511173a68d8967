// The instant of an iCalendar time (worker/ical/instant.hpp).

#include <gtest/gtest.h>

#include <string>

#include "worker/ical/calendar.hpp"
#include "worker/ical/instant.hpp"

namespace {

using twake::ical::instant_of;
using twake::ical::parse_calendar;

// The DTSTART of the only VEVENT of a calendar with a VTIMEZONE named `tzid` (Paris rules).
long long start_of(const std::string& tzid, const std::string& start) {
    std::string ics =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTIMEZONE\r\nTZID:" + tzid +
        "\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\n"
        "TZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n"
        "BEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n"
        "BEGIN:VEVENT\r\nUID:x\r\nDTSTART;TZID=" +
        tzid + ":" + start + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    auto calendar = parse_calendar(ics);
    icalcomponent* event = icalcomponent_get_first_component(calendar.get(), ICAL_VEVENT_COMPONENT);
    return instant_of(icalcomponent_get_dtstart(event)).time_since_epoch().count();
}

TEST(IcalInstant, IanaZoneFollowsItsSummerAndWinterTime) {
    EXPECT_EQ(start_of("Europe/Paris", "20250621T100000"), 1750492800);  // 08:00Z
    EXPECT_EQ(start_of("Europe/Paris", "20251221T100000"), 1766307600);  // 09:00Z
}

TEST(IcalInstant, OtherZoneNamesUseTheirVtimezone) {
    // A Windows-style name ICU does not know: libical reads the VTIMEZONE's rules.
    EXPECT_EQ(start_of("Romance Standard Time", "20250621T100000"), 1750492800);
    EXPECT_EQ(start_of("Romance Standard Time", "20251221T100000"), 1766307600);
}

TEST(IcalInstant, RepeatedHourIsItsFirstOccurrence) {
    // 26 October 2025, 02:30 happens twice in Paris: the first is 00:30Z.
    EXPECT_EQ(start_of("Europe/Paris", "20251026T023000"), 1761438600);
}

TEST(IcalInstant, UtcFloatingAndDates) {
    auto utc = icaltime_from_string("20250621T100000Z");
    EXPECT_EQ(instant_of(utc).time_since_epoch().count(), 1750500000);
    auto floating = icaltime_from_string("20250621T100000");
    EXPECT_EQ(instant_of(floating).time_since_epoch().count(), 1750500000);
    auto date = icaltime_from_string("20250621");
    EXPECT_EQ(instant_of(date).time_since_epoch().count(), 1750464000);
    EXPECT_FALSE(twake::ical::instant_in(floating, "Not/AZone").has_value());
}

}  // namespace
