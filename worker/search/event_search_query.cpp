#include "worker/search/event_search_query.hpp"

#include "shared/json/json.hpp"

namespace twake::search {

namespace {

using json::Json;

Json strings(const std::vector<std::string>& values) {
    Json list = Json::array();
    for (const auto& v : values) {
        list.push(v);
    }
    return list;
}

Json wrapped(const char* kind, Json inner) {
    Json out = Json::object();
    out.set(kind, std::move(inner));
    return out;
}

Json terms(const char* field, const std::vector<std::string>& values) {
    Json inner = Json::object();
    inner.set(field, strings(values));
    return wrapped("terms", std::move(inner));
}

Json match(const char* field, const std::string& text) {
    Json query = Json::object();
    query.set("query", text);
    Json inner = Json::object();
    inner.set(field, std::move(query));
    return wrapped("match", std::move(inner));
}

bool blank(const std::string& text) {
    return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

Json text_clause(const std::string& text, const EventsIndexConfig& config) {
    if (config.query_string_query && uses_query_syntax(text)) {
        Json inner = Json::object();
        inner.set("query", text);
        inner.set("fields", strings({"summary", "description", "location"}));
        inner.set("default_operator", "and");
        inner.set("lenient", true);
        return wrapped("simple_query_string", std::move(inner));
    }
    std::vector<std::string> fields{"summary", "description", "location"};
    if (config.summary_search_prefix) {
        fields.emplace_back("summary.prefix");
    }
    Json inner = Json::object();
    inner.set("query", text);
    inner.set("fields", strings(fields));
    if (config.fuzzy_search) {
        inner.set("fuzziness", "AUTO");
    }
    return wrapped("multi_match", std::move(inner));
}

Json sort_by(const char* field, const char* order, Json missing) {
    Json inner = Json::object();
    inner.set("order", order);
    inner.set("missing", std::move(missing));
    Json out = Json::object();
    out.set(field, std::move(inner));
    return out;
}

}  // namespace

bool uses_query_syntax(const std::string& text) {
    if (text.find_first_of("\"~|*") != std::string::npos) {
        return true;
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '-' && (i == 0 || text[i - 1] == ' ')) {
            return true;
        }
    }
    return false;
}

std::string event_search_body(const EventSearch& search, const EventsIndexConfig& config) {
    Json must = Json::array();
    must.push(terms("calendarURL", search.calendar_urls));
    if (!blank(search.text)) {
        Json should = Json::array();
        should.push(text_clause(search.text, config));
        for (const char* field :
             {"organizer.email", "organizer.cn", "attendees.email", "attendees.cn"}) {
            should.push(match(field, search.text));
        }
        Json inner = Json::object();
        inner.set("should", std::move(should));
        inner.set("minimum_should_match", "1");
        must.push(wrapped("bool", std::move(inner)));
    }
    if (!search.organizers.empty()) {
        must.push(terms("organizer.email.raw", search.organizers));
    }
    if (!search.attendees.empty()) {
        must.push(terms("attendees.email.raw", search.attendees));
    }
    if (!search.booking_link.empty()) {
        Json inner = Json::object();
        inner.set("bookingLinkId", search.booking_link);
        must.push(wrapped("term", std::move(inner)));
    }
    Json bool_query = Json::object();
    bool_query.set("must", std::move(must));

    Json sort = Json::array();
    sort.push(sort_by("collapseRank", "asc", Json::parse("0").value()));
    sort.push(sort_by("start", "desc", Json::parse("\"_last\"").value()));
    Json collapse = Json::object();
    collapse.set("field", "eventUid");

    Json body = Json::object();
    body.set("from", search.offset);
    body.set("size", search.limit);
    body.set("query", wrapped("bool", std::move(bool_query)));
    body.set("sort", std::move(sort));
    body.set("collapse", std::move(collapse));
    return body.dump();
}

}  // namespace twake::search
