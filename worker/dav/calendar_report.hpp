#pragma once

// What the calendar tasks read from esn-sabre (docs/reference/alarms.md §5): a user's calendar
// list and every object of a calendar through a calendar-query REPORT. Pure: the DavClient
// sends the requests.

#include <string>
#include <string_view>
#include <vector>

namespace twake::dav {

// The query parameters of a user's default calendar list: personal calendars, accepted
// delegations and public subscriptions, as the web app lists them.
inline constexpr std::string_view kDefaultCalendarListQuery =
    "personal=true&sharedDelegationStatus=accepted&sharedPublicSubscription=true&withRights=true";
// Only the user's own calendars (the reindex task: delegated and subscribed calendars are
// indexed under their source).
inline constexpr std::string_view kPersonalCalendarsQuery = "personal=true";

// A calendar-query REPORT (Depth 1) asking every VCALENDAR object with its data.
std::string calendar_query_body();

// The calendars of a calendar list answer (`_embedded.dav:calendar[]._links.self.href`) as
// paths without `.json`: /calendars/<home>/<calendar>. An empty body is an empty list (esn-sabre
// sends none when nothing matches); DavError when it is not such a JSON document.
std::vector<std::string> parse_calendar_list(const std::string& list_json);

// An object of a REPORT answer.
struct ReportedObject {
    std::string href;  // /calendars/<home>/<calendar>/<object>.ics
    std::string ical;
};

// The responses of a multistatus answer that carry a DAV:href and a caldav:calendar-data;
// DavError when it is not XML.
std::vector<ReportedObject> parse_calendar_report(std::string_view multistatus_xml);

}  // namespace twake::dav
