#pragma once

// The answer of `POST /calendar/api/events/search` built from OpenSearch's hits
// (docs/reference/rest-api.md §13.3). Pure, for unit tests.

#include <string>
#include <string_view>

namespace twake::search {

// `opensearch_answer` is the body of a `_search` on the events index; `path` the request's
// path (the self link carries only the paging). Throws std::runtime_error when the answer
// is not a search result.
std::string event_search_response(std::string_view opensearch_answer, std::string_view path,
                                  int limit, int offset);

// The answer with no event (nothing to search).
std::string empty_event_search_response(std::string_view path, int limit, int offset);

}  // namespace twake::search
