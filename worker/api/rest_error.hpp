#pragma once

// Errors of the REST API (docs/reference/rest-api.md §3): thrown by handlers, turned into
//   {"error":{"code":404,"type":"NotFound","message":"Not Found","details":"..."}}
// with the status, at the API's boundary.

#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>

#include "worker/http/message.hpp"

namespace twake::api {

class RestError : public std::runtime_error {
  public:
    RestError(unsigned status, std::string type, std::string message, std::string details)
        : std::runtime_error(details),
          status_(status),
          type_(std::move(type)),
          message_(std::move(message)),
          details_(std::move(details)) {}

    unsigned status() const { return status_; }
    const std::string& type() const { return type_; }
    const std::string& message() const { return message_; }
    const std::string& details() const { return details_; }

  private:
    unsigned status_;
    std::string type_;
    std::string message_;
    std::string details_;
};

// Argument errors of a route ("Bad request", lower-case r, as upstream's tests pin it).
RestError bad_request(std::string details);
RestError unauthorized(std::string details);
RestError forbidden(std::string details);
RestError not_found(std::string details);
RestError service_unavailable(std::string details);

http::Response error_response(unsigned status, std::string_view type, std::string_view message,
                              std::string_view details);
http::Response error_response(const RestError& error);

// The answer for an exception that escaped a handler: RestError as it says, InvalidInput as
// 400 with its text, an unreachable MongoDB as 503, anything else as 500 (logged with the request
// id by the caller).
http::Response response_for(std::exception_ptr error, std::string* log_detail);

http::Response json_response(http::beast_http::status status, std::string body);

}  // namespace twake::api
