// Cutting an uploaded ICS into the objects an import writes (docs/reference/rest-api.md §17.2).

#include <gtest/gtest.h>

#include "worker/errors/invalid_input.hpp"
#include "worker/imports/content_lines.hpp"
#include "worker/imports/ics_split.hpp"

namespace twake::imports {
namespace {

const std::string kFile =
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    "PRODID:-//Test//EN\r\n"
    "BEGIN:VTIMEZONE\r\n"
    "TZID:Europe/Paris\r\n"
    "BEGIN:STANDARD\r\n"
    "DTSTART:19701025T030000\r\n"
    "TZOFFSETFROM:+0200\r\n"
    "TZOFFSETTO:+0100\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:weekly\r\n"
    "DTSTART;TZID=Europe/Paris:20270104T100000\r\n"
    "RRULE:FREQ=WEEKLY\r\n"
    "SUMMARY:Weekly\r\n"
    "BEGIN:VALARM\r\n"
    "UID:alarm-uid-is-not-the-event's\r\n"
    "ACTION:DISPLAY\r\n"
    "TRIGGER:-PT5M\r\n"
    "END:VALARM\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:single\r\n"
    "DTSTART:20270105T100000Z\r\n"
    "SUMMARY:Single, with a long\r\n"
    "  folded summary\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:week\r\n"
    " ly\r\n"
    "RECURRENCE-ID;TZID=Europe/Paris:20270111T100000\r\n"
    "DTSTART;TZID=Europe/Paris:20270111T110000\r\n"
    "SUMMARY:Weekly, moved\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n";

TEST(ContentLines, UnfoldsAndSplitsNameAndValue) {
    ContentLines lines("item1.EMAIL;TYPE=\"a:b\":x@y.z\r\nSUMMARY:a\r\n  b\nLAST:1");
    ContentLine line;
    ASSERT_TRUE(lines.next(line));
    EXPECT_EQ(line.name, "EMAIL");
    EXPECT_EQ(line.value, "x@y.z");
    ASSERT_TRUE(lines.next(line));
    EXPECT_EQ(line.text, "SUMMARY:a b");
    EXPECT_EQ(line.value, "a b");
    ASSERT_TRUE(lines.next(line));
    EXPECT_EQ(line.value, "1");
    EXPECT_FALSE(lines.next(line));
}

TEST(IcsSplit, GroupsEventsByUidWithTheirOverrides) {
    IcsLayout layout = split_ics(kFile);
    ASSERT_EQ(layout.groups.size(), 2u);
    EXPECT_EQ(layout.groups[0].uid, "weekly");  // a folded UID is read unfolded
    EXPECT_EQ(layout.groups[0].events.size(), 2u);
    EXPECT_EQ(layout.groups[1].uid, "single");
    ASSERT_EQ(layout.timezones.count("Europe/Paris"), 1u);
}

TEST(IcsSplit, GroupObjectCarriesItsEventsAndTheirZone) {
    IcsLayout layout = split_ics(kFile);
    GroupObject weekly = group_object(kFile, layout, layout.groups[0]);
    EXPECT_TRUE(weekly.problem.empty());
    EXPECT_NE(weekly.ics.find("VERSION:2.0"), std::string::npos);
    EXPECT_NE(weekly.ics.find("PRODID:"), std::string::npos);
    EXPECT_NE(weekly.ics.find("BEGIN:VTIMEZONE"), std::string::npos);
    EXPECT_NE(weekly.ics.find("RECURRENCE-ID"), std::string::npos);
    EXPECT_EQ(weekly.ics.find("UID:single"), std::string::npos);

    GroupObject single = group_object(kFile, layout, layout.groups[1]);
    EXPECT_TRUE(single.problem.empty());
    EXPECT_EQ(single.ics.find("BEGIN:VTIMEZONE"), std::string::npos);  // uses none
    EXPECT_EQ(single.summary, "Single, with a long folded summary");
    EXPECT_EQ(single.start, "20270105T100000Z");
}

TEST(IcsSplit, AnUnreadableStartFailsOnlyItsGroup) {
    const std::string file =
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:bad\r\nDTSTART:not-a-date\r\nSUMMARY:Bad\r\n"
        "END:VEVENT\r\nBEGIN:VEVENT\r\nUID:good\r\nDTSTART:20270105T100000Z\r\n"
        "X-BROKEN;VALUE=DATE:what\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    IcsLayout layout = split_ics(file);
    ASSERT_EQ(layout.groups.size(), 2u);
    GroupObject bad = group_object(file, layout, layout.groups[0]);
    EXPECT_FALSE(bad.problem.empty());
    EXPECT_EQ(bad.summary, "Bad");
    GroupObject good = group_object(file, layout, layout.groups[1]);
    EXPECT_TRUE(good.problem.empty()) << good.problem;
    EXPECT_EQ(good.ics.find("X-LIC-ERROR"), std::string::npos);
}

TEST(IcsSplit, RefusesWhatIsNoCalendar) {
    EXPECT_THROW(split_ics("hello"), errors::InvalidInput);
    EXPECT_THROW(split_ics("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nEND:VCALENDAR\r\n"),
                 errors::InvalidInput);
    EXPECT_THROW(split_ics("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"),
                 errors::InvalidInput);  // a VEVENT without UID fails the whole file
    EXPECT_THROW(split_ics("BEGIN:VCALENDAR\r\n"), errors::InvalidInput);
    EXPECT_NO_THROW(split_ics("BEGIN:VCALENDAR\nEND:VCALENDAR\n"));
}

}  // namespace
}  // namespace twake::imports
