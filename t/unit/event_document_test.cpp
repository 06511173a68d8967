// The OpenSearch documents of event messages (worker/search/event_document.hpp).

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "shared/json/json.hpp"
#include "worker/search/event_document.hpp"

namespace {

using twake::search::deleted_events_of_message;
using twake::search::documents_of_message;
using twake::search::InvalidEventMessage;
using twake::search::parse_event_path;

const std::string kPath =
    "/calendars/6620a1b2c3d4e5f601234567/6620a1b2c3d4e5f601234567/a0b5a363.ics";

std::string message(const std::string& vevents, const std::string& path = kPath) {
    return R"({"eventPath":")" + path +
           R"(","event":["vcalendar",[["version",{},"text","2.0"]],[)" + vevents +
           R"(]],"import":false,"unknown":1})";
}

const std::string kSingle =
    R"(["vevent",[["uid",{},"text","a0b5a363"],["transp",{},"text","OPAQUE"],)"
    R"(["dtstart",{"tzid":"Asia/Jakarta"},"date-time","2025-04-19T11:00:00"],)"
    R"(["dtend",{"tzid":"Asia/Jakarta"},"date-time","2025-04-19T11:30:00"],["class",{},"text","PUBLIC"],)"
    R"(["summary",{},"text","Title 1"],["description",{},"text","note"],)"
    R"(["organizer",{"cn":"Alice Martin"},"cal-address","mailto:alice@example.com"],)"
    R"(["attendee",{"partstat":"NEEDS-ACTION","cutype":"INDIVIDUAL","cn":"Bob Durand"},"cal-address","mailto:bob@example.com"],)"
    R"(["attendee",{"partstat":"ACCEPTED"},"cal-address","mailto:alice@example.com"],)"
    R"(["attendee",{"cutype":"RESOURCE","cn":"Room"},"cal-address","mailto:room@example.com"],)"
    R"(["attendee",{},"cal-address",42],)"
    R"(["dtstamp",{},"date-time","2025-04-18T07:47:48Z"]],)"
    R"([["valarm",[["trigger",{},"duration","-PT10M"]],[]]]])";

twake::json::Json parsed(const std::string& source) {
    auto doc = twake::json::Json::parse(source);
    EXPECT_TRUE(doc.has_value());
    return std::move(*doc);
}

std::string member(const twake::json::Json& doc, const char* key) {
    const cJSON* item = cJSON_GetObjectItemCaseSensitive(doc.get(), key);
    char* text = cJSON_PrintUnformatted(item);
    std::string out = text != nullptr ? text : "<absent>";
    cJSON_free(text);
    return out;
}

// Each member named in `expected` printed as JSON ("<absent>" when missing).
void expect_members(const twake::json::Json& doc,
                    const std::vector<std::pair<const char*, std::string>>& expected) {
    for (const auto& [key, value] : expected) {
        EXPECT_EQ(member(doc, key), value) << key;
    }
}

// The source of the one document of a message, parsed.
twake::json::Json only_source(const std::vector<twake::search::EventDocument>& docs) {
    EXPECT_EQ(docs.size(), 1u);
    return parsed(docs.at(0).source);
}

TEST(EventDocument, SingleEventGivesTheDocumentOfTheSpecification) {
    auto docs = documents_of_message(message(kSingle));
    auto doc = only_source(docs);
    EXPECT_EQ(docs[0].id, "6620a1b2c3d4e5f601234567:6620a1b2c3d4e5f601234567:a0b5a363:single");
    EXPECT_EQ(docs[0].routing, "6620a1b2c3d4e5f601234567");
    EXPECT_FALSE(docs[0].sequence.has_value());
    expect_members(
        doc,
        {
            {"baseCalendarId", "\"6620a1b2c3d4e5f601234567\""},
            {"eventUid", "\"a0b5a363\""},
            {"summary", "\"Title 1\""},
            {"location", "null"},
            {"description", "\"note\""},
            {"clazz", "\"PUBLIC\""},
            {"start", "\"2025-04-19T04:00:00Z\""},
            {"end", "\"2025-04-19T04:30:00Z\""},
            {"dtstamp", "\"2025-04-18T07:47:48Z\""},
            {"allDay", "false"},
            {"isRecurrentMaster", "null"},
            {"organizer", R"({"cn":"Alice Martin","email":"alice@example.com"})"},
            {"attendees",
             R"([{"cn":"Bob Durand","email":"bob@example.com"},{"cn":null,"email":"alice@example.com"}])"},
            {"resources", R"([{"cn":"Room","email":"room@example.com"}])"},
            {"videoconferenceUrl", "null"},
            {"calendarURL", "\"6620a1b2c3d4e5f601234567/6620a1b2c3d4e5f601234567\""},
            {"sequence", "null"},
            {"resourceName", "\"a0b5a363.ics\""},
            {"recurrenceId", "null"},
            {"collapseRank", "0"},
            {"userId", "<absent>"},
        });
}

TEST(EventDocument, RecurringMasterAndOverrideGiveOneDocumentEach) {
    const std::string master =
        R"(["vevent",[["uid",{},"text","r1"],["dtstart",{"tzid":"Europe/Paris"},"date-time","2025-06-02T10:00:00"],)"
        R"(["duration",{},"duration","PT1H30M"],["dtend",{},"date-time","2025-06-02T23:00:00Z"],)"
        R"(["rrule",{},"recur",{"freq":"WEEKLY"}],["sequence",{},"integer",2],)"
        R"(["x-openpaas-videoconference",{},"unknown","https://meet.example.com/abc"]],[]])";
    const std::string occurrence =
        R"(["vevent",[["uid",{},"text","r1"],["recurrence-id",{"tzid":"Europe/Paris"},"date-time","2025-06-09T10:00:00"],)"
        R"(["dtstart",{},"date-time","2025-06-09T12:00:00+02:00"],["dtend",{},"date-time","2025-06-09T13:00:00Z"],)"
        R"(["summary",{},"text","moved"],["sequence",{},"integer",3]],[]])";
    auto docs = documents_of_message(message(master + "," + occurrence));
    ASSERT_EQ(docs.size(), 2u);
    EXPECT_EQ(docs[0].id, "6620a1b2c3d4e5f601234567:6620a1b2c3d4e5f601234567:r1:master");
    EXPECT_EQ(docs[0].sequence, 2);
    auto m = parsed(docs[0].source);
    expect_members(m, {
                          {"isRecurrentMaster", "true"},
                          {"collapseRank", "0"},
                          {"start", "\"2025-06-02T08:00:00Z\""},
                          {"end", "\"2025-06-02T09:30:00Z\""},  // DURATION wins over DTEND
                          {"sequence", "2"},
                          {"videoconferenceUrl", "\"https://meet.example.com/abc\""},
                      });

    EXPECT_EQ(docs[1].id,
              "6620a1b2c3d4e5f601234567:6620a1b2c3d4e5f601234567:r1:recurrence:20250609T080000Z");
    auto o = parsed(docs[1].source);
    expect_members(o, {
                          {"isRecurrentMaster", "false"},
                          {"collapseRank", "1"},
                          {"recurrenceId", "\"20250609T080000Z\""},
                          {"start", "\"2025-06-09T10:00:00Z\""},
                          {"summary", "\"moved\""},
                      });
}

TEST(EventDocument, AllDayEventStartsAtMidnightUtc) {
    auto docs = documents_of_message(message(
        R"(["vevent",[["uid",{},"text","d"],["dtstart",{},"date","2025-12-24"],["dtend",{},"date","2025-12-26"],)"
        R"(["recurrence-id",{},"date","2025-12-24"]],[]])"));
    auto doc = only_source(docs);
    expect_members(doc, {
                            {"allDay", "true"},
                            {"start", "\"2025-12-24T00:00:00Z\""},
                            {"end", "\"2025-12-26T00:00:00Z\""},
                        });
    EXPECT_TRUE(docs[0].id.ends_with(":d:recurrence:20251224")) << docs[0].id;
}

TEST(EventDocument, LocalTimesWithoutOrWithAnUnknownZoneAreUtc) {
    auto docs = documents_of_message(message(
        R"(["vevent",[["uid",{},"text","f"],["dtstart",{},"date-time","2025-04-19T11:00:00"],)"
        R"(["dtend",{"tzid":"Nowhere/Unknown"},"date-time","2025-04-19T12:00:00"],)"
        R"(["dtstamp",{},"date","2025-04-19"],["sequence",{},"text","x"]],[]])"));
    auto doc = only_source(docs);
    expect_members(doc, {
                            {"start", "\"2025-04-19T11:00:00Z\""},
                            {"end", "\"2025-04-19T12:00:00Z\""},
                            {"dtstamp", "null"},  // must be a date-time
                            {"sequence", "null"},
                        });
}

TEST(EventDocument, MessageWithoutVeventGivesNoDocument) {
    EXPECT_TRUE(documents_of_message(message(R"(["vtodo",[["uid",{},"text","t"]],[]])")).empty());
}

TEST(EventDocument, MalformedMessagesAreRefused) {
    EXPECT_THROW(documents_of_message("not json"), InvalidEventMessage);
    EXPECT_THROW(documents_of_message(R"({"event":["vcalendar",[],[]]})"), InvalidEventMessage);
    EXPECT_THROW(
        documents_of_message(R"({"eventPath":"/calendars/a/b/c.ics","event":["vevent",[],[]]})"),
        InvalidEventMessage);
    EXPECT_THROW(documents_of_message(message(R"(["vevent",[["summary",{},"text","no uid"]],[]])")),
                 InvalidEventMessage);
    EXPECT_THROW(documents_of_message(message(kSingle, "/calendars/a/b")), InvalidEventMessage);
}

TEST(EventDocument, EventPathHasFourNonEmptySegments) {
    auto path = parse_event_path("/calendars/h/c/x.ics");
    EXPECT_EQ(path.home, "h");
    EXPECT_EQ(path.calendar, "c");
    EXPECT_EQ(path.file, "x.ics");
    EXPECT_EQ(path.calendar_url(), "h/c");
    EXPECT_THROW(parse_event_path("/calendars/h//x.ics"), InvalidEventMessage);
    EXPECT_THROW(parse_event_path("/addressbooks/h/c/x.ics"), InvalidEventMessage);
    EXPECT_THROW(parse_event_path("/calendars/h/c/x.ics/more"), InvalidEventMessage);
}

TEST(EventDocument, DeletedMessageNamesEachUidOnce) {
    const std::string other =
        R"(["vevent",[["uid",{},"text","a0b5a363"],["recurrence-id",{},"date","2025-04-20"]],[]])";
    auto deleted = deleted_events_of_message(message(kSingle + "," + other));
    EXPECT_EQ(deleted.path.calendar_url(), "6620a1b2c3d4e5f601234567/6620a1b2c3d4e5f601234567");
    ASSERT_EQ(deleted.uids.size(), 1u);
    EXPECT_EQ(deleted.uids[0], "a0b5a363");
}

}  // namespace
