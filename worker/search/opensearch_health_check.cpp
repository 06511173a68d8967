#include "worker/search/opensearch_health_check.hpp"

#include "shared/json/json.hpp"
#include "shared/log/log.hpp"
#include "worker/net/http_client.hpp"

namespace twake::search {

namespace {
const log::Logger kLog("worker.opensearch");
}

health::Result OpenSearchHealthCheck::check() {
    for (const std::string& base : config_.base_urls) {
        net::HttpRequest request;
        request.url = base + "/_cluster/health";
        request.headers = {{"Accept", "application/json"}};
        request.timeout = std::chrono::seconds(5);
        if (config_.user) {
            request.basic_auth = {{*config_.user, *config_.password}};
        }
        try {
            net::HttpResponse response = net::perform(request);
            auto doc = json::Json::parse(response.body);
            auto status = doc ? json::string_member(doc->get(), "status") : std::nullopt;
            if (response.status != 200 || !status) {
                kLog.warn("Unexpected cluster health answer",
                          {{"url", request.url}, {"status", std::to_string(response.status)}});
                continue;
            }
            if (*status == "red") {
                std::string cluster =
                    json::string_member(doc->get(), "cluster_name").value_or("cluster");
                return unhealthy(cluster + " status is RED");
            }
            return healthy();
        } catch (const net::HttpError& e) {
            kLog.warn("OpenSearch unreachable", {{"url", request.url}, {"error", e.what()}});
        }
    }
    return unhealthy("Error while contacting cluster");
}

}  // namespace twake::search
