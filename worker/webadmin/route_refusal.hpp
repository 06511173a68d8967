#pragma once

// A request a webadmin route refuses, with James's error body (docs/webadmin.md §1). Validation
// helpers throw it deep inside a handler; the listener's boundary (`error_answer`) answers
// it, so that handlers read as the straight path.

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "worker/http/router.hpp"

namespace twake::webadmin {

class RouteRefusal : public std::runtime_error {
  public:
    RouteRefusal(unsigned status, std::string_view type, std::string message,
                 std::optional<std::string> details = std::nullopt);

    http::Response response() const;

  private:
    unsigned status_;
    std::string type_;
    std::optional<std::string> details_;
};

// The answer for an exception that escaped a webadmin handler: a RouteRefusal as it says;
// MongoDB or LDAP unreachable, or a storage call past its deadline, 503; anything else 500.
http::Response error_answer(std::exception_ptr error);

}  // namespace twake::webadmin
