#include "worker/net/http_client.hpp"

#include <algorithm>
#include <cctype>
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

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// One header line at a time; a status line starts a new response (after a 100 Continue).
size_t keep_header(char* data, size_t size, size_t count, void* out) {
    auto* headers = static_cast<std::vector<std::pair<std::string, std::string>>*>(out);
    std::string_view line(data, size * count);
    if (line.starts_with("HTTP/")) {
        headers->clear();
        return size * count;
    }
    auto colon = line.find(':');
    if (colon == std::string_view::npos) {
        return size * count;
    }
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && is_space(value.front())) {
        value.remove_prefix(1);
    }
    while (!value.empty() && is_space(value.back())) {
        value.remove_suffix(1);
    }
    headers->emplace_back(std::string(line.substr(0, colon)), std::string(value));
    return size * count;
}

bool same_name(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

}  // namespace

std::optional<std::string> HttpResponse::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (same_name(key, name)) {
            return value;
        }
    }
    return std::nullopt;
}

HttpResponse perform(const HttpRequest& request) {
    std::unique_ptr<CURL, EasyDelete> easy(curl_easy_init());
    if (!easy) {
        throw HttpError("cannot allocate a curl handle");
    }
    return perform(easy.get(), request);
}

HttpResponse perform(CURL* c, const HttpRequest& request) {
    curl_easy_reset(c);  // keeps the handle's live connections
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
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &keep_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &response.headers);
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
    if (!request.verify_peer) {
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    }
    if (!request.verify_host) {
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (!request.ca_file.empty()) {
        curl_easy_setopt(c, CURLOPT_CAINFO, request.ca_file.c_str());
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
