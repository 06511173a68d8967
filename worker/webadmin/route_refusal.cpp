#include "worker/webadmin/route_refusal.hpp"

#include "shared/log/log.hpp"
#include "worker/errors/invalid_input.hpp"
#include "worker/http/unreadable_request.hpp"
#include "worker/ldap/ldap_connection.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/store/store_error.hpp"
#include "worker/webadmin/webadmin_error.hpp"

namespace twake::webadmin {

namespace {

const log::Logger kLog("worker.webadmin");

}  // namespace

RouteRefusal::RouteRefusal(unsigned status, std::string_view type, std::string message,
                           std::optional<std::string> details)
    : std::runtime_error(std::move(message)),
      status_(status),
      type_(type),
      details_(std::move(details)) {}

http::Response RouteRefusal::response() const {
    return error_response(status_, type_, what(), details_);
}

http::Response error_answer(std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const RouteRefusal& refusal) {
        return refusal.response();
    } catch (const errors::InvalidInput& e) {
        // The client's input, refused below the routes; any other exception is a 500.
        return error_response(400, error_type::kInvalidArgument,
                              "Invalid arguments supplied in the user request",
                              std::string(e.what()));
    } catch (const http::UnreadableRequest& e) {
        return error_response(e.status(), error_type::kInvalidArgument, e.reason(),
                              std::string(e.what()));
    } catch (const runtime::DeadlineExceeded&) {
        kLog.error("A storage call did not answer in time");
        return error_response(503, error_type::kServerError, "MongoDB did not answer in time");
    } catch (const store::StoreError& e) {
        if (e.unavailable()) {
            kLog.error("MongoDB is unavailable", {{"error", e.what()}});
            return error_response(503, error_type::kServerError, "MongoDB is unavailable");
        }
        kLog.error("WebAdmin encountered an unexpected internal error", {{"error", e.what()}});
    } catch (const ldap::LdapError& e) {
        kLog.error("LDAP directory unavailable", {{"error", e.what()}});
        return error_response(503, error_type::kServerError, "The LDAP directory is unavailable");
    } catch (const std::exception& e) {
        kLog.error("WebAdmin encountered an unexpected internal error", {{"error", e.what()}});
    } catch (...) {
        kLog.error("WebAdmin encountered an unexpected internal error");
    }
    return error_response(500, error_type::kServerError,
                          "WebAdmin encountered an unexpected internal error");
}

}  // namespace twake::webadmin
