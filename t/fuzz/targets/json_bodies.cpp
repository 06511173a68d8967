// JSON that clients send: the REST search bodies and their paging, WebSocket messages, and
// the JSON answers of OpenSearch and esn-sabre the worker reads.

#include <stdexcept>
#include <string>

#include "t/fuzz/fuzz_target.hpp"
#include "worker/dav/calendar_report.hpp"
#include "worker/dav/dav_client.hpp"
#include "worker/errors/invalid_input.hpp"
#include "worker/realtime/client_message.hpp"
#include "worker/search/bulk_request.hpp"
#include "worker/search/calendar_sources.hpp"
#include "worker/search/contact_search.hpp"
#include "worker/search/event_search_request.hpp"
#include "worker/search/event_search_response.hpp"
#include "worker/search/people_search_request.hpp"

namespace search = twake::search;

TWAKE_FUZZ_TARGET(json_bodies) {
    const std::string text(input);
    twake::fuzz::refused_as<twake::errors::InvalidInput>(
        [&] { (void)search::read_event_search(input, text.substr(0, 3), text.substr(0, 2)); });
    twake::fuzz::refused_as<twake::errors::InvalidInput>(
        [&] { (void)search::parse_people_search(input); });
    auto message = twake::realtime::parse_client_message(input);
    if (auto* request = std::get_if<twake::realtime::RegisterRequest>(&message)) {
        (void)twake::realtime::check_register(*request);
    }
    // Answers of the servers behind the worker.
    twake::fuzz::refused_as<std::runtime_error>(
        [&] { (void)search::event_search_response(input, "/calendar/api/events/search", 30, 0); });
    (void)search::read_contact_hits(input);
    (void)search::bulk_items(input, 3);
    (void)search::matching_ids(input);
    (void)search::searched_calendars({"a/b", "c/d"}, search::listed_calendars(input));
    (void)twake::dav::parse_sharees(text);
    (void)twake::dav::first_item_href(text);
    twake::fuzz::refused_as<twake::dav::DavError>(
        [&] { (void)twake::dav::parse_calendar_list(text); });
    twake::fuzz::refused_as<twake::dav::DavError>(
        [&] { (void)twake::dav::parse_calendar_report(input); });
}
