// The checked body and paging of an event search, the calendars it may look in, and the
// answer built from OpenSearch's hits (worker/search/event_search_request.hpp,
// calendar_sources.hpp, event_search_response.hpp).

#include <gtest/gtest.h>

#include "shared/json/json.hpp"
#include "worker/errors/invalid_input.hpp"
#include "worker/search/calendar_sources.hpp"
#include "worker/search/event_search_request.hpp"
#include "worker/search/event_search_response.hpp"

namespace {

using twake::errors::InvalidInput;
using twake::search::calendar_url_of_href;
using twake::search::event_search_response;
using twake::search::listed_calendars;
using twake::search::read_event_search;
using twake::search::searched_calendars;

std::string refusal(std::string_view body, std::optional<std::string> limit = std::nullopt,
                    std::optional<std::string> offset = std::nullopt) {
    try {
        read_event_search(body, limit, offset);
    } catch (const InvalidInput& e) {
        return e.what();
    }
    return "accepted";
}

TEST(EventSearchRequest, ReadsEveryMember) {
    auto request = read_event_search(
        R"({"calendars":[{"userId":"u1","calendarId":"c1"},{"userId":"u1","calendarId":"c1"},)"
        R"({"userId":"u2","calendarId":"c2"}],"query":"standup","organizers":["Alice@Example.com"],)"
        R"("attendees":["bob@example.org"],"bookingLink":"7C9E6679-7425-40DE-944B-E07FC1F90AE7"})",
        "10", "20");
    EXPECT_EQ(request.calendars, (std::vector<std::string>{"u1/c1", "u2/c2"}));
    EXPECT_EQ(request.text, "standup");
    EXPECT_EQ(request.organizers, std::vector<std::string>{"alice@example.com"});
    EXPECT_EQ(request.attendees, std::vector<std::string>{"bob@example.org"});
    EXPECT_EQ(request.booking_link, "7c9e6679-7425-40de-944b-e07fc1f90ae7");
    EXPECT_EQ(request.limit, 10);
    EXPECT_EQ(request.offset, 20);
}

TEST(EventSearchRequest, DefaultsForAbsentOrBlankValues) {
    auto request = read_event_search("", std::nullopt, " ");
    EXPECT_TRUE(request.calendars.empty());
    EXPECT_EQ(request.limit, 30);
    EXPECT_EQ(request.offset, 0);
    request = read_event_search(R"({"calendars":null,"query":null,"bookingLink":" "})", "", "");
    EXPECT_TRUE(request.calendars.empty());
    EXPECT_FALSE(request.booking_link);
}

TEST(EventSearchRequest, RefusalsSayWhatIsWrong) {
    EXPECT_EQ(refusal("{}", "abc"), "Invalid limit param: abc");
    EXPECT_EQ(refusal("{}", "0"), "limit param must be positive");
    EXPECT_EQ(refusal("{}", "257"), "limit param must not exceed 256");
    EXPECT_EQ(refusal("{}", std::nullopt, "-1"), "offset param must be non-negative");
    EXPECT_EQ(refusal("{}", std::nullopt, "1x"), "Invalid offset param: 1x");
    EXPECT_EQ(refusal("{}", "100", "9950"), "offset + limit must not exceed 10000");
    EXPECT_EQ(refusal("[1]"), "The body must be a JSON object");
    EXPECT_EQ(refusal("{"), "The body must be a JSON object");
    EXPECT_EQ(refusal(R"({"calendars":[{"calendarId":"c"}]})"), "userId field is missing");
    EXPECT_EQ(refusal(R"({"calendars":[{"userId":"u","calendarId":" "}]})"),
              "calendarId field is missing");
    EXPECT_EQ(refusal(R"({"calendars":[{"userId":"u/x","calendarId":"c"}]})"),
              "Invalid calendar: u/x/c");
    EXPECT_EQ(refusal(R"({"calendars":{}})"), "calendars must be an array");
    EXPECT_EQ(refusal(R"({"organizers":["nobody"]})"), "Invalid organizer email address");
    EXPECT_EQ(refusal(R"({"attendees":[42]})"), "Invalid attendee email address");
    EXPECT_EQ(refusal(R"({"bookingLink":"abc"})"), "Invalid bookingLink: abc");
    EXPECT_EQ(refusal(R"({"query":3})"), "query must be a string");
}

TEST(CalendarSources, HrefsGiveCalendarUrls) {
    EXPECT_EQ(calendar_url_of_href("/calendars/u/c.json"), "u/c");
    EXPECT_EQ(calendar_url_of_href("/calendars/u/c/"), "u/c");
    EXPECT_EQ(calendar_url_of_href("https://dav.example.com/calendars/u/c.json?x=1"), "u/c");
    EXPECT_FALSE(calendar_url_of_href("/calendars/u.json"));
    EXPECT_FALSE(calendar_url_of_href("/calendars/u/c/e.ics"));
    EXPECT_FALSE(calendar_url_of_href("/addressbooks/u/c.json"));
}

const char* kList =
    R"({"_links":{"self":{"href":"/calendars/me.json"}},"_embedded":{"dav:calendar":[
  {"_links":{"self":{"href":"/calendars/me/me.json"}}},
  {"_links":{"self":{"href":"/calendars/me/sub1.json"}},
   "calendarserver:source":{"_links":{"self":{"href":"/calendars/bob/team.json"}}}},
  {"_links":{"self":{"href":"/calendars/carol/carol.json"}},
   "calendarserver:delegatedsource":"/calendars/carol/carol.json"},
  {"_links":{"self":{"href":"/calendars/me/deleg.json"}},
   "calendarserver:delegatedsource":"/calendars/dave/work.json"},
  {"_links":{"self":{"href":"not a calendar"}}}]}})";

TEST(CalendarSources, EachEntryHasItsSource) {
    auto listed = listed_calendars(kList);
    ASSERT_EQ(listed.size(), 4u);
    EXPECT_EQ(listed[0].source, "me/me");
    EXPECT_EQ(listed[1].listed, "me/sub1");
    EXPECT_EQ(listed[1].source, "bob/team");
    EXPECT_EQ(listed[3].source, "dave/work");
    EXPECT_TRUE(listed_calendars("").empty());
    EXPECT_TRUE(listed_calendars("{}").empty());
}

TEST(CalendarSources, RequestsMapToSourcesTheCallerMaySee) {
    auto listed = listed_calendars(kList);
    // A subscription searches its source; a source named directly is allowed too; another
    // user's calendar that the caller has no entry for is dropped.
    EXPECT_EQ(searched_calendars({"me/sub1", "bob/team", "me/me", "eve/eve", "me/deleg"}, listed),
              (std::vector<std::string>{"bob/team", "me/me", "dave/work"}));
    EXPECT_TRUE(searched_calendars({"eve/eve"}, {}).empty());
}

TEST(EventSearchResponse, MapsDocumentsBack) {
    std::string answer = R"({"hits":{"total":{"value":1},"hits":[{"_id":"x","_source":{
      "baseCalendarId":"u1","calendarURL":"u1/c1","resourceName":"event-1.ics","eventUid":"event-1",
      "summary":"Title 1","location":"office","description":null,"clazz":"PUBLIC",
      "start":"2025-04-19T11:00:00Z","end":"2025-04-21T11:30:00Z","allDay":false,
      "dtstamp":"2025-04-18T07:47:48Z","isRecurrentMaster":true,
      "organizer":{"email":"carol@example.com","cn":"Carol"},
      "attendees":[{"email":"bob@example.org","cn":null}],
      "resources":[{"email":"room1@example.com","cn":"Room 1"}],
      "videoconferenceUrl":"https://jitsi/x","bookingLinkId":null}},
      {"_source":{"calendarURL":"u2/c2","eventUid":"e2"}}]}})";
    auto out = twake::json::Json::parse(
        event_search_response(answer, "/calendar/api/events/search", 30, 0));
    ASSERT_TRUE(out);
    EXPECT_EQ(
        out->dump(),
        R"({"_links":{"self":{"href":"/calendar/api/events/search?limit=30&offset=0"}},"_total_hits":2,)"
        R"("_embedded":{"events":[{"_links":{"self":{"href":"/calendars/u1/c1/event-1.ics"}},"data":{)"
        R"("uid":"event-1","summary":"Title 1","location":"office","description":null,)"
        R"("start":"2025-04-19T11:00:00Z","end":"2025-04-21T11:30:00Z","class":"PUBLIC","allDay":false,)"
        R"("hasResources":true,"durationInDays":2,"isRecurrentMaster":true,)"
        R"("attendees":[{"email":"bob@example.org","cn":null}],)"
        R"("organizer":{"email":"carol@example.com","cn":"Carol"},)"
        R"("resources":[{"email":"room1@example.com","cn":"Room 1"}],)"
        R"("x-openpaas-videoconference":"https://jitsi/x","x-openpaas-booking-link":null,)"
        R"("userId":"u1","calendarId":"c1","dtstamp":"2025-04-18T07:47:48Z"}},)"
        R"({"_links":{"self":{"href":"/calendars/u2/c2/e2.ics"}},"data":{"uid":"e2","summary":null,)"
        R"("location":null,"description":null,"start":null,"end":null,"class":null,"allDay":false,)"
        R"("hasResources":false,"durationInDays":0,"isRecurrentMaster":null,"attendees":[],)"
        R"("organizer":{"email":null,"cn":null},"resources":[],"x-openpaas-videoconference":null,)"
        R"("x-openpaas-booking-link":null,"userId":"u2","calendarId":"c2","dtstamp":null}}]}})");
    EXPECT_THROW(event_search_response(R"({"error":"x"})", "/p", 1, 0), std::runtime_error);
}

}  // namespace
