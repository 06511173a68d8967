#pragma once

// A request the server could not read: malformed (400), headers too large (431) or a body over
// the listener's limit (413). The server hands it to the listener's error responder, so that
// the answer is that API's JSON error, then closes the connection (what follows in the stream
// cannot be trusted).

#include <stdexcept>
#include <string>

namespace twake::http {

class UnreadableRequest : public std::runtime_error {
  public:
    UnreadableRequest(unsigned status, std::string details)
        : std::runtime_error(std::move(details)), status_(status) {}

    unsigned status() const { return status_; }
    // The reason phrase of the status ("Request Header Fields Too Large").
    const char* reason() const {
        switch (status_) {
            case 413:
                return "Payload Too Large";
            case 431:
                return "Request Header Fields Too Large";
            default:
                return "Bad Request";
        }
    }

  private:
    unsigned status_;
};

}  // namespace twake::http
