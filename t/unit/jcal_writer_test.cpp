// iCalendar to jCal (worker/ical/jcal_writer.hpp), and the documents of an object read as
// iCalendar text, which must equal those of the same event carried as jCal by a message
// (worker/search/event_document.hpp).

#include <gtest/gtest.h>

#include "worker/ical/calendar.hpp"
#include "worker/ical/jcal_writer.hpp"
#include "worker/search/event_document.hpp"

namespace {

using twake::ical::parse_calendar;
using twake::ical::to_jcal;
using twake::search::documents_of_message;
using twake::search::documents_of_object;
using twake::search::parse_event_path;

const char* kIcs =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
    "BEGIN:VEVENT\r\nUID:r1\r\nDTSTAMP:20250418T074748Z\r\n"
    "DTSTART;TZID=Europe/Paris:20250602T100000\r\nDURATION:PT1H\r\n"
    "RRULE:FREQ=WEEKLY;COUNT=4;BYDAY=MO,TU\r\nSEQUENCE:2\r\n"
    "SUMMARY:Stand-up\\, daily\r\nCLASS:PUBLIC\r\n"
    "ORGANIZER;CN=\"Martin, Alice\":mailto:alice@example.com\r\n"
    "ATTENDEE;PARTSTAT=ACCEPTED;CUTYPE=RESOURCE;CN=Room:mailto:room@example.com\r\n"
    "X-OPENPAAS-VIDEOCONFERENCE:https://meet.example.com/abc\r\n"
    "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT10M\r\nEND:VALARM\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:r1\r\nDTSTAMP:20250418T074748Z\r\n"
    "RECURRENCE-ID;TZID=Europe/Paris:20250609T100000\r\n"
    "DTSTART;VALUE=DATE:20250610\r\nSUMMARY:Moved\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n";

TEST(JcalWriter, WritesRfc7265Values) {
    auto calendar = parse_calendar(kIcs);
    EXPECT_EQ(
        to_jcal(calendar.get()).dump(),
        R"(["vcalendar",[["version",{},"text","2.0"],["prodid",{},"text","-//t//t//EN"]],[)"
        R"(["vevent",[["uid",{},"text","r1"],["dtstamp",{},"date-time","2025-04-18T07:47:48Z"],)"
        R"(["dtstart",{"tzid":"Europe/Paris"},"date-time","2025-06-02T10:00:00"],)"
        R"(["duration",{},"duration","PT1H"],)"
        R"(["rrule",{},"recur",{"freq":"WEEKLY","count":4,"byday":["MO","TU"]}],)"
        R"(["sequence",{},"integer",2],["summary",{},"text","Stand-up, daily"],)"
        R"(["class",{},"text","PUBLIC"],)"
        R"(["organizer",{"cn":"Martin, Alice"},"cal-address","mailto:alice@example.com"],)"
        R"(["attendee",{"partstat":"ACCEPTED","cutype":"RESOURCE","cn":"Room"},"cal-address","mailto:room@example.com"],)"
        R"(["x-openpaas-videoconference",{},"unknown","https://meet.example.com/abc"]],)"
        R"([["valarm",[["action",{},"text","DISPLAY"],["trigger",{},"duration","-PT10M"]],[]]]],)"
        R"(["vevent",[["uid",{},"text","r1"],["dtstamp",{},"date-time","2025-04-18T07:47:48Z"],)"
        R"(["recurrence-id",{"tzid":"Europe/Paris"},"date-time","2025-06-09T10:00:00"],)"
        R"(["dtstart",{},"date","2025-06-10"],["summary",{},"text","Moved"]],[]]]])");
}

TEST(JcalWriter, AnObjectGivesTheDocumentsOfTheSameEventAsAMessage) {
    auto calendar = parse_calendar(kIcs);
    std::string message =
        R"({"eventPath":"/calendars/h/c/r1.ics","event":)" + to_jcal(calendar.get()).dump() + "}";
    auto from_message = documents_of_message(message);
    auto from_object = documents_of_object(parse_event_path("/calendars/h/c/r1.ics"), kIcs);
    ASSERT_EQ(from_object.size(), 2u);
    ASSERT_EQ(from_message.size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(from_object[i].id, from_message[i].id);
        EXPECT_EQ(from_object[i].source, from_message[i].source);
    }
    EXPECT_EQ(from_object[0].id, "h:c:r1:master");
    EXPECT_EQ(from_object[1].id, "h:c:r1:recurrence:20250609T080000Z");
    EXPECT_NE(from_object[0].source.find(R"("videoconferenceUrl":"https://meet.example.com/abc")"),
              std::string::npos);
    EXPECT_NE(from_object[0].source.find(R"("sequence":2)"), std::string::npos);
}

TEST(JcalWriter, AnObjectThatIsNotACalendarIsInvalid) {
    EXPECT_THROW(documents_of_object(parse_event_path("/calendars/h/c/x.ics"), "garbage"),
                 twake::search::InvalidEventMessage);
    EXPECT_THROW(documents_of_object(parse_event_path("/calendars/h/c/x.ics"),
                                     "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\n"
                                     "END:VEVENT\r\nEND:VCALENDAR\r\n"),
                 twake::search::InvalidEventMessage);
}

}  // namespace
