#include "worker/services/event_search.hpp"

#include "shared/log/log.hpp"
#include "worker/errors/invalid_input.hpp"
#include "worker/runtime/store_call.hpp"
#include "worker/search/calendar_sources.hpp"
#include "worker/search/event_search_query.hpp"
#include "worker/search/event_search_response.hpp"

namespace twake::services {

namespace {

const log::Logger kLog("worker.search.events");

// Upstream's limit on the calendars of one query (a `terms` clause stays cheap).
constexpr std::size_t kMaxSearchedCalendars = 256;

// The calendars `request` may search, as "{home}/{calendar}". Blocking.
std::vector<search::CalendarUrl> searched_calendars(store::UserStore& users, dav::DavClient& dav,
                                                    const std::string& caller,
                                                    const search::EventSearchRequest& request) {
    auto user = users.find_by_email(caller);
    if (!user) {
        return {};  // an identity without an account owns no calendar
    }
    const std::string own_default = user->id + "/" + user->id;
    if (request.calendars.size() == 1 && request.calendars.front() == own_default) {
        return request.calendars;
    }
    net::HttpResponse list;
    try {
        // The caller's calendar list as the web app reads it: personal calendars, accepted
        // delegations, public subscriptions.
        list = dav.get_json_as(caller, "/calendars/" + user->id + ".json?" +
                                           std::string(dav::kDefaultCalendarListQuery));
    } catch (const dav::DavError& e) {
        kLog.warn("Event search: esn-sabre unreachable", {{"error", e.what()}});
        throw SearchUnavailable("esn-sabre is unavailable");
    }
    if (list.status == 404) {
        return {};
    }
    if (list.status != 200) {
        kLog.warn("Event search: esn-sabre refused the calendar list",
                  {{"status", std::to_string(list.status)}, {"user", caller}});
        throw SearchUnavailable("esn-sabre is unavailable");
    }
    return search::searched_calendars(request.calendars, search::listed_calendars(list.body));
}

}  // namespace

runtime::Awaitable<std::string> EventSearch::search(const std::string& caller,
                                                    const search::EventSearchRequest& request,
                                                    const std::string& path) const {
    if (request.calendars.empty()) {
        co_return search::empty_event_search_response(path, request.limit, request.offset);
    }
    auto resolve = [&users = users_, &dav = dav_, caller, request] {
        return searched_calendars(users, dav, caller, request);
    };
    std::vector<search::CalendarUrl> calendars =
        co_await runtime::run_store_call(blocking_, resolve);
    if (calendars.empty()) {
        co_return search::empty_event_search_response(path, request.limit, request.offset);
    }
    if (calendars.size() > kMaxSearchedCalendars) {
        throw errors::InvalidInput("source-based search supports at most " +
                                   std::to_string(kMaxSearchedCalendars) + " calendars");
    }
    search::EventSearch query{.calendar_urls = std::move(calendars),
                              .text = request.text,
                              .organizers = request.organizers,
                              .attendees = request.attendees,
                              .limit = request.limit,
                              .offset = request.offset,
                              .booking_link = request.booking_link.value_or("")};
    search::OpenSearchRequest call{.method = "POST",
                                   .target = "/" + index_.read_alias + "/_search",
                                   .body = search::event_search_body(query, index_)};
    net::HttpResponse answer;
    try {
        answer = co_await opensearch_.send(call);
    } catch (const net::HttpError& e) {
        kLog.warn("Event search: OpenSearch unreachable", {{"error", e.what()}});
        throw SearchUnavailable("OpenSearch is unavailable");
    }
    if (answer.status != 200) {
        kLog.warn(
            "Event search: OpenSearch refused the query",
            {{"status", std::to_string(answer.status)}, {"body", answer.body.substr(0, 500)}});
        throw SearchUnavailable("OpenSearch is unavailable");
    }
    co_return search::event_search_response(answer.body, path, request.limit, request.offset);
}

}  // namespace twake::services
