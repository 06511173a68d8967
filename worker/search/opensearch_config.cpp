#include "worker/search/opensearch_config.hpp"

#include <charconv>

#include "shared/config/duration.hpp"

namespace twake::search {

namespace {

int positive(const config::Properties& props, const std::string& key, int fallback, int min) {
    auto v = props.get(key);
    if (!v) {
        return fallback;
    }
    int n = 0;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc() || end != v->data() + v->size() || n < min) {
        throw config::ConfigError("'" + key + "' = '" + *v + "': expected an integer, at least " +
                                  std::to_string(min));
    }
    return n;
}

bool flag(const config::Properties& props, const std::string& key, bool fallback) {
    std::string v = props.get_or(key, fallback ? "true" : "false");
    if (v != "true" && v != "false") {
        throw config::ConfigError("'" + key + "' = '" + v + "': expected true or false");
    }
    return v == "true";
}

std::string one_of(const config::Properties& props, const std::string& key,
                   const std::string& fallback, const std::vector<std::string>& values) {
    std::string v = props.get_or(key, fallback);
    for (const auto& allowed : values) {
        if (v == allowed) {
            return v;
        }
    }
    throw config::ConfigError("'" + key + "' = '" + v + "': not supported (supported: " +
                              values.front() + ", " + values.back() + ")");
}

EventsIndexConfig read_events_index(const config::Properties& props) {
    EventsIndexConfig e;
    e.index = props.get_or("opensearch.index.calendar.events.name", e.index);
    e.read_alias = props.get_or("opensearch.alias.read.calendar.events.name", e.read_alias);
    e.write_alias = props.get_or("opensearch.alias.write.calendar.events.name", e.write_alias);
    e.min_ngram = positive(props, "opensearch.index.calendar.events.min.ngram", e.min_ngram, 1);
    e.max_ngram_diff =
        positive(props, "opensearch.index.calendar.events.max.ngram.diff", e.max_ngram_diff, 1);
    e.shards = positive(props, "opensearch.nb.shards", e.shards, 1);
    e.replicas = positive(props, "opensearch.nb.replica", e.replicas, 0);
    e.summary_search_prefix = flag(props, "opensearch.index.calendar.events.summary.searchPrefix",
                                   e.summary_search_prefix);
    e.fuzzy_search = flag(props, "opensearch.index.calendar.events.fuzzySearch", e.fuzzy_search);
    e.query_string_query =
        flag(props, "opensearch.index.calendar.events.queryStringQuery", e.query_string_query);
    return e;
}

ContactIndicesConfig read_contact_indices(const config::Properties& props) {
    ContactIndicesConfig c;
    c.user_read_alias = props.get_or("opensearch.alias.read.contact.user.name", c.user_read_alias);
    c.domain_read_alias =
        props.get_or("opensearch.alias.read.contact.domain.name", c.domain_read_alias);
    return c;
}

}  // namespace

OpenSearchConfig read_opensearch_config(const config::Properties& props) {
    OpenSearchConfig c;
    std::string scheme = props.get_or("opensearch.hostScheme", "http");
    if (scheme != "http" && scheme != "https") {
        throw config::ConfigError("'opensearch.hostScheme' = '" + scheme +
                                  "': expected http or https");
    }
    std::vector<std::string> hosts = props.list("opensearch.hosts");
    if (hosts.empty()) {
        auto master = props.get("opensearch.masterHost");
        if (!master) {
            throw config::ConfigError(
                "opensearch.properties: set 'opensearch.hosts' (host:port,host:port) or "
                "'opensearch.masterHost' and 'opensearch.port'");
        }
        hosts.push_back(*master + ":" + props.get_or("opensearch.port", "9200"));
    }
    for (const auto& h : hosts) {
        if (h.find(':') == std::string::npos) {
            c.base_urls.push_back(scheme + "://" + h + ":9200");
        } else {
            c.base_urls.push_back(scheme + "://" + h);
        }
    }
    c.user = props.get("opensearch.user");
    c.password = props.get("opensearch.password");
    if (c.user.has_value() != c.password.has_value()) {
        throw config::ConfigError(
            "opensearch.properties: set both 'opensearch.user' and "
            "'opensearch.password', or neither");
    }
    if (auto t = props.get("opensearch.request.timeout")) {
        c.request_timeout = config::parse_duration(*t, config::DurationUnit::Milliseconds,
                                                   "opensearch.request.timeout");
    }
    c.verify_peer = one_of(props, "opensearch.hostScheme.https.sslValidationStrategy", "default",
                           {"default", "ignore"}) == "default";
    c.verify_host = one_of(props, "opensearch.hostScheme.https.hostNameVerifier", "default",
                           {"default", "accept_any_hostname"}) == "default";
    c.ca_file = props.get_or("opensearch.hostScheme.https.caFile", "");
    c.events = read_events_index(props);
    c.contacts = read_contact_indices(props);
    return c;
}

}  // namespace twake::search
