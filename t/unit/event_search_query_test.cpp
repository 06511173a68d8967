// The OpenSearch request of an event search (worker/search/event_search_query.hpp).

#include <gtest/gtest.h>

#include "worker/search/event_search_query.hpp"

namespace {

using twake::search::event_search_body;
using twake::search::EventSearch;
using twake::search::EventsIndexConfig;
using twake::search::uses_query_syntax;

TEST(EventSearchQuery, AllCriteriaGiveUpstreamsRequest) {
    EventSearch search{
        {"h/c1", "h2/c2"}, "standup", {"alice@example.com"}, {"bob@example.com"}, 30, 0, ""};
    EXPECT_EQ(
        event_search_body(search, EventsIndexConfig{}),
        R"({"from":0,"size":30,"query":{"bool":{"must":[{"terms":{"calendarURL":["h/c1","h2/c2"]}},)"
        R"({"bool":{"should":[{"multi_match":{"query":"standup","fields":["summary","description","location","summary.prefix"]}},)"
        R"({"match":{"organizer.email":{"query":"standup"}}},{"match":{"organizer.cn":{"query":"standup"}}},)"
        R"({"match":{"attendees.email":{"query":"standup"}}},{"match":{"attendees.cn":{"query":"standup"}}}],)"
        R"("minimum_should_match":"1"}},)"
        R"({"terms":{"organizer.email.raw":["alice@example.com"]}},{"terms":{"attendees.email.raw":["bob@example.com"]}}]}},)"
        R"("sort":[{"collapseRank":{"order":"asc","missing":0}},{"start":{"order":"desc","missing":"_last"}}],)"
        R"("collapse":{"field":"eventUid"}})");
}

TEST(EventSearchQuery, BlankTextAndNoPeopleLeaveOnlyTheCalendars) {
    EventSearch search{{"h/c"}, "  ", {}, {}, 5, 10, ""};
    EXPECT_EQ(
        event_search_body(search, EventsIndexConfig{}),
        R"({"from":10,"size":5,"query":{"bool":{"must":[{"terms":{"calendarURL":["h/c"]}}]}},)"
        R"("sort":[{"collapseRank":{"order":"asc","missing":0}},{"start":{"order":"desc","missing":"_last"}}],)"
        R"("collapse":{"field":"eventUid"}})");
}

TEST(EventSearchQuery, QuerySyntaxUsesSimpleQueryStringWhenEnabled) {
    EXPECT_TRUE(uses_query_syntax("\"exact words\""));
    EXPECT_TRUE(uses_query_syntax("stand*"));
    EXPECT_TRUE(uses_query_syntax("a | b"));
    EXPECT_TRUE(uses_query_syntax("meeting -lunch"));
    EXPECT_FALSE(uses_query_syntax("follow-up meeting"));
    EventSearch search{{"h/c"}, "stand*", {}, {}, 30, 0, ""};
    std::string body = event_search_body(search, EventsIndexConfig{});
    EXPECT_NE(
        body.find(
            R"({"simple_query_string":{"query":"stand*","fields":["summary","description","location"],"default_operator":"and","lenient":true}})"),
        std::string::npos);
    EventsIndexConfig plain;
    plain.query_string_query = false;
    plain.summary_search_prefix = false;
    plain.fuzzy_search = true;
    EXPECT_NE(
        event_search_body(search, plain)
            .find(
                R"({"multi_match":{"query":"stand*","fields":["summary","description","location"],"fuzziness":"AUTO"}})"),
        std::string::npos);
}

TEST(EventSearchQuery, ABookingLinkAddsATermOnItsId) {
    EventSearch search{{"h/c"}, "", {}, {}, 30, 0, "7c9e6679-7425-40de-944b-e07fc1f90ae7"};
    EXPECT_NE(event_search_body(search, EventsIndexConfig{})
                  .find(R"({"term":{"bookingLinkId":"7c9e6679-7425-40de-944b-e07fc1f90ae7"}})"),
              std::string::npos);
}

}  // namespace
