#include <gtest/gtest.h>

#include "worker/dav/calendar_report.hpp"
#include "worker/dav/dav_client.hpp"

using twake::dav::DavError;
using twake::dav::parse_calendar_list;
using twake::dav::parse_calendar_report;

TEST(CalendarReport, ListsTheCalendarsOfACalendarListWithoutJson) {
    auto calendars = parse_calendar_list(R"({"_links":{"self":{"href":"/calendars/u1.json"}},
        "_embedded":{"dav:calendar":[
          {"_links":{"self":{"href":"/calendars/u1/u1.json"}},"dav:name":"#default"},
          {"_links":{"self":{"href":"/calendars/u2/shared.json"}}},
          {"_links":{"self":{}}},
          {"dav:name":"no links"}]}})");
    ASSERT_EQ(calendars.size(), 2u);
    EXPECT_EQ(calendars[0], "/calendars/u1/u1");
    EXPECT_EQ(calendars[1], "/calendars/u2/shared");
}

TEST(CalendarReport, AnEmptyCalendarListIsNoCalendarAndAnythingElseAnError) {
    EXPECT_TRUE(parse_calendar_list("").empty());
    EXPECT_TRUE(parse_calendar_list(R"({"_links":{}})").empty());
    EXPECT_THROW(parse_calendar_list("<html/>"), DavError);
}

TEST(CalendarReport, ReadsTheObjectsOfAMultistatusWhateverThePrefixes) {
    auto objects = parse_calendar_report(R"(<?xml version="1.0"?>
<d:multistatus xmlns:d="DAV:" xmlns:cal="urn:ietf:params:xml:ns:caldav">
 <d:response><d:href>/calendars/u1/u1/a%20b.ics</d:href>
  <d:propstat><d:prop><cal:calendar-data>BEGIN:VCALENDAR&#13;
UID:a &amp; b&#13;
END:VCALENDAR&#13;
</cal:calendar-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
 <d:response><d:href>/calendars/u1/u1/</d:href>
  <d:propstat><d:prop/><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat></d:response>
 <response xmlns="DAV:"><href>/calendars/u1/u1/c.ics</href><propstat><prop>
  <C:calendar-data xmlns:C="urn:ietf:params:xml:ns:caldav"><![CDATA[BEGIN:VCALENDAR
END:VCALENDAR
]]></C:calendar-data></prop></propstat></response>
 <d:response><d:href>/elsewhere.ics</d:href><d:propstat><d:prop>
  <x:calendar-data xmlns:x="urn:other">not caldav</x:calendar-data></d:prop></d:propstat></d:response>
</d:multistatus>)");
    ASSERT_EQ(objects.size(), 2u);
    EXPECT_EQ(objects[0].href, "/calendars/u1/u1/a%20b.ics");
    EXPECT_EQ(objects[0].ical, "BEGIN:VCALENDAR\r\nUID:a & b\r\nEND:VCALENDAR\r\n");
    EXPECT_EQ(objects[1].href, "/calendars/u1/u1/c.ics");
    EXPECT_EQ(objects[1].ical, "BEGIN:VCALENDAR\nEND:VCALENDAR\n");
}

TEST(CalendarReport, AnAnswerThatIsNoMultistatusIsAnError) {
    EXPECT_THROW(parse_calendar_report("not xml"), DavError);
    EXPECT_THROW(parse_calendar_report("<d:error xmlns:d=\"DAV:\"/>"), DavError);
    EXPECT_TRUE(parse_calendar_report("<multistatus xmlns=\"DAV:\"/>").empty());
}
