#include "worker/search/opensearch_config.hpp"

#include "shared/config/duration.hpp"

namespace twake::search {

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
    return c;
}

}  // namespace twake::search
