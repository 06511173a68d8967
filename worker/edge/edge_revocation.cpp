#include "worker/edge/edge_revocation.hpp"

#include <chrono>

#include "worker/net/http_client.hpp"
#include "worker/redis/session_revocation.hpp"

namespace twake::edges {

namespace {

// An edge on the local network answers in milliseconds; the IdP waits for all of them.
constexpr std::chrono::milliseconds kTimeout{2000};
constexpr std::chrono::milliseconds kConnectTimeout{1000};

}  // namespace

std::vector<EdgeFailure> evict_at_edges(const std::vector<std::string>& urls,
                                        const std::string& secret, const std::string& sid) {
    std::vector<EdgeFailure> failures;
    net::HttpRequest request;
    request.method = "POST";
    // The message of the Redis channel: the edge reads both the same way.
    request.body = redis::revocation_message(sid, {});
    request.headers = {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + secret}};
    request.timeout = kTimeout;
    request.connect_timeout = kConnectTimeout;
    for (const auto& url : urls) {
        request.url = url;
        try {
            net::HttpResponse response = net::perform(request);
            if (response.status != 200) {
                failures.push_back({url, "answered " + std::to_string(response.status)});
            }
        } catch (const net::HttpError& e) {
            failures.push_back({url, e.what()});
        }
    }
    return failures;
}

}  // namespace twake::edges
