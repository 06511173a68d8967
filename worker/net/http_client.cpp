#include "worker/net/http_client.hpp"

#include <memory>

namespace twake::net {

namespace {

struct EasyDelete {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDelete {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

size_t append_body(char* data, size_t size, size_t count, void* out) {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
}

}  // namespace

HttpResponse perform(const HttpRequest& request) {
    std::unique_ptr<CURL, EasyDelete> easy(curl_easy_init());
    if (!easy) {
        throw HttpError("cannot allocate a curl handle");
    }
    CURL* c = easy.get();
    HttpResponse response;
    std::unique_ptr<curl_slist, SlistDelete> headers;
    for (const auto& [name, value] : request.headers) {
        curl_slist* next = curl_slist_append(headers.get(), (name + ": " + value).c_str());
        if (next == nullptr) {
            throw HttpError("cannot allocate a header list");
        }
        headers.release();
        headers.reset(next);
    }
    curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // called from worker threads
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(request.connect_timeout.count()));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &append_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &response.body);
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(request.body.size()));
    }
    if (request.method == "HEAD") {
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    }
    if (request.basic_auth) {
        curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
        curl_easy_setopt(c, CURLOPT_USERNAME, request.basic_auth->first.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, request.basic_auth->second.c_str());
    }
    CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK) {
        // curl's messages name the host and the failure, never the credentials.
        throw HttpError(std::string(curl_easy_strerror(rc)));
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
}

}  // namespace twake::net
