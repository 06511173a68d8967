#pragma once

// The webadmin request and response log lines (docs/webadmin.md §3.3), INFO:
//   "WebAdmin request received"  requestId, ip, real-ip, endpoint, method, login,
//                                queryParameters, request-body
//   "WebAdmin response received" the same plus status, response-body, durationMs
// Bodies are capped and secret-looking fields redacted; no header is logged but X-Real-IP.

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "worker/http/message.hpp"

namespace twake::webadmin {

// Fields the listener stamps on each request before routing (overwriting any client copy):
// the request id shared by both log lines, and the peer's address.
inline constexpr std::string_view kRequestIdField = "X-Twake-Webadmin-Request-Id";
inline constexpr std::string_view kPeerField = "X-Twake-Webadmin-Peer";

// Longest body text put in a log line (bytes, before the truncation note).
inline constexpr size_t kLoggedBodyLimit = 4096;

// Whether a field named so holds a secret: its lower-cased name contains "password",
// "secret" or "token" (`password` of PUT /users, `logout_token` of /add-revoked-token).
bool is_secret_field(std::string_view name);

// A body as it may be logged: JSON with secret members replaced by "***" at any depth;
// form-encoded with secret values replaced; other text only when `text_allowed` (bodies the
// worker wrote), else a size note, since a secret in it could not be found. Capped at
// kLoggedBodyLimit.
std::string loggable_body(std::string_view body, std::string_view content_type, bool text_allowed);

// The query string of a request-target with secret parameter values replaced, capped.
std::string loggable_query(std::string_view target);

// Cuts `text` to at most `limit` bytes at a UTF-8 character boundary and appends a note.
std::string capped(std::string text, size_t limit = kLoggedBodyLimit);

// Stamps the request id and peer, then writes the request line.
void stamp_and_log_request(http::Request& request, const std::string& peer);

void log_response(const http::Request& request, const http::Response& response,
                  std::chrono::nanoseconds duration);

}  // namespace twake::webadmin
