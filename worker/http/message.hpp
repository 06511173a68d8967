#pragma once

// First: it includes <utility> before Boost 1.74's awaitable.hpp, which needs it.
#include "worker/runtime/awaitable.hpp"

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>
#include <string_view>

namespace twake::http {

namespace beast_http = boost::beast::http;

using Request = beast_http::request<beast_http::string_body>;
using Response = beast_http::response<beast_http::string_body>;

using runtime::Awaitable;

inline Response make_response(beast_http::status status, std::string_view content_type,
                              std::string body) {
    Response res{status, 11};
    if (!content_type.empty()) {
        res.set(beast_http::field::content_type, content_type);
    }
    res.body() = std::move(body);
    return res;
}

inline constexpr std::string_view kJson = "application/json; charset=utf-8";

}  // namespace twake::http
