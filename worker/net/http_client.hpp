#pragma once

// Blocking HTTP calls through libcurl, for code running on the blocking pool.

#include <curl/curl.h>

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace twake::net {

// curl_global_init / curl_global_cleanup for the lifetime of the process.
class CurlGlobal {
  public:
    CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
    ~CurlGlobal() { curl_global_cleanup(); }
    CurlGlobal(const CurlGlobal&) = delete;
    CurlGlobal& operator=(const CurlGlobal&) = delete;
};

// Transport failure (no connection, timeout); an HTTP error status is not an exception.
class HttpError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct HttpRequest {
    std::string method = "GET";
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::optional<std::pair<std::string, std::string>> basic_auth;
    std::chrono::milliseconds timeout{10000};
    std::chrono::milliseconds connect_timeout{3000};
    // TLS: check the server's certificate against the system's CAs (or `ca_file`, PEM), and
    // its name.
    bool verify_peer = true;
    bool verify_host = true;
    std::string ca_file;
};

struct HttpResponse {
    long status = 0;
    std::string body;
    // The final response's headers, as received (names in their case, values trimmed).
    std::vector<std::pair<std::string, std::string>> headers;

    // The first value of a header, its name compared case-insensitively.
    std::optional<std::string> header(std::string_view name) const;
};

HttpResponse perform(const HttpRequest& request);

// The same with a handle the caller keeps between calls (reset first), so that its
// connections are reused (keep-alive, TLS sessions).
HttpResponse perform(CURL* easy, const HttpRequest& request);

}  // namespace twake::net
