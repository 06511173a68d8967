#include "worker/search/opensearch_client.hpp"

#include <memory>

namespace twake::search {

namespace {

struct EasyDelete {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};

// This thread's handle: its connection cache outlives each request.
CURL* thread_handle() {
    thread_local std::unique_ptr<CURL, EasyDelete> handle(curl_easy_init());
    if (!handle) {
        throw net::HttpError("cannot allocate a curl handle");
    }
    return handle.get();
}

}  // namespace

net::HttpResponse OpenSearchClient::send_blocking(const OpenSearchRequest& request) const {
    std::string last_error = "no OpenSearch host configured";
    for (const std::string& base : config_.base_urls) {
        net::HttpRequest http;
        http.method = request.method;
        http.url = base + request.target;
        http.body = request.body;
        http.headers = {{"Accept", "application/json"}};
        if (!request.body.empty()) {
            http.headers.emplace_back("Content-Type", request.content_type);
        }
        http.timeout = config_.request_timeout;
        http.verify_peer = config_.verify_peer;
        http.verify_host = config_.verify_host;
        http.ca_file = config_.ca_file;
        if (config_.user) {
            http.basic_auth = {{*config_.user, *config_.password}};
        }
        try {
            return net::perform(thread_handle(), http);
        } catch (const net::HttpError& e) {
            last_error = base + ": " + e.what();
        }
    }
    throw net::HttpError(last_error);
}

runtime::Awaitable<net::HttpResponse> OpenSearchClient::send(const OpenSearchRequest& request) {
    auto call = [this, request] { return send_blocking(request); };
    // Bounded by curl's own timeout per host; a little more so that its error is the one seen.
    auto deadline = config_.request_timeout * static_cast<long>(config_.base_urls.size() + 1) +
                    std::chrono::seconds(5);
    co_return co_await blocking_.run(call, deadline);
}

}  // namespace twake::search
