#include "worker/api/rest_error.hpp"

#include "shared/contract/edge_worker.hpp"
#include "worker/errors/invalid_input.hpp"
#include "worker/http/unreadable_request.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/store/store_error.hpp"

namespace twake::api {

RestError bad_request(std::string details) {
    return RestError(400, "BadRequest", "Bad request", std::move(details));
}

RestError unauthorized(std::string details) {
    return RestError(401, "Unauthorized", "Unauthorized", std::move(details));
}

RestError forbidden(std::string details) {
    return RestError(403, "Forbidden", "Forbidden", std::move(details));
}

RestError not_found(std::string details) {
    return RestError(404, "NotFound", "Not Found", std::move(details));
}

RestError service_unavailable(std::string details) {
    return RestError(503, "ServiceUnavailable", "Service Unavailable", std::move(details));
}

http::Response error_response(unsigned status, std::string_view type, std::string_view message,
                              std::string_view details) {
    return http::make_response(static_cast<http::beast_http::status>(status), http::kJson,
                               contract::rest_error_document(status, type, message, details));
}

http::Response error_response(const RestError& e) {
    return error_response(e.status(), e.type(), e.message(), e.details());
}

http::Response response_for(std::exception_ptr error, std::string* log_detail) {
    try {
        std::rethrow_exception(error);
    } catch (const RestError& e) {
        return error_response(e);
    } catch (const http::UnreadableRequest& e) {
        if (e.status() == 400) {
            return error_response(400, "BadRequest", "Bad request", e.what());
        }
        // Statuses outside the table of docs/reference/rest-api.md §3.2: the reason phrase, as a
        // type without spaces.
        std::string type = e.reason();
        std::erase(type, ' ');
        return error_response(e.status(), type, e.reason(), e.what());
    } catch (const store::StoreError& e) {
        if (log_detail != nullptr) {
            *log_detail = e.what();
        }
        if (e.unavailable()) {
            return error_response(503, "ServiceUnavailable", "Service Unavailable",
                                  "MongoDB is unavailable");
        }
    } catch (const errors::InvalidInput& e) {
        // Input the storage layer refuses (e.g. a settings key starting with '$'). Only this
        // type: any other exception is the worker's fault, a 500 whose text stays in the log.
        return error_response(400, "BadRequest", "Bad request", e.what());
    } catch (const runtime::DeadlineExceeded&) {
        if (log_detail != nullptr) {
            *log_detail = "a storage call did not answer in time";
        }
        return error_response(503, "ServiceUnavailable", "Service Unavailable",
                              "A dependency did not answer in time");
    } catch (const std::exception& e) {
        if (log_detail != nullptr) {
            *log_detail = e.what();
        }
    } catch (...) {
        if (log_detail != nullptr) {
            *log_detail = "unknown error";
        }
    }
    return error_response(500, "ServerError", "Internal Server Error", "Something went wrong.");
}

http::Response json_response(http::beast_http::status status, std::string body) {
    return http::make_response(status, http::kJson, std::move(body));
}

}  // namespace twake::api
