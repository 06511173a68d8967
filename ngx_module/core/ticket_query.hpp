#pragma once

// The `/ws` handshake's credential (docs/nginx-module.md §5.22): the first `ticket` parameter
// of the query string, and nothing else. Pure: the nginx glue hands the query in.

#include <optional>
#include <string>
#include <string_view>

namespace twake::edge {

// The raw value of the first `name` parameter of `query` ("a=1&name=v&name=w" → "v"; a bare
// "name" → ""), or nullopt when there is none.
std::optional<std::string_view> first_query_value(std::string_view query, std::string_view name);

// `query` without any `name` parameter, the others in their order and spelling.
std::string query_without(std::string_view query, std::string_view name);

// The ticket a raw value names: percent-decoded, a UUID, lower-cased; nullopt otherwise.
std::optional<std::string> handshake_ticket(std::string_view raw);

}  // namespace twake::edge
