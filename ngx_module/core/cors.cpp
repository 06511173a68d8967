#include "ngx_module/core/cors.hpp"

#include <algorithm>

namespace twake::edge {

std::optional<CorsAnswer> cors_answer(CorsPolicy policy, std::span<const std::string_view> allowed,
                                      std::string_view origin) {
    if (origin.empty() || policy == CorsPolicy::Off) {
        return std::nullopt;
    }
    if (policy == CorsPolicy::Any) {
        return CorsAnswer{"*", false, false};
    }
    // Origins are compared exactly (RFC 6454 serialisation: lower-case scheme and host, as
    // browsers send them).
    if (std::find(allowed.begin(), allowed.end(), origin) == allowed.end()) {
        return std::nullopt;
    }
    return CorsAnswer{origin, true, true};
}

bool is_preflight(std::string_view method, std::string_view origin,
                  std::string_view request_method) {
    return method == "OPTIONS" && !origin.empty() && !request_method.empty();
}

bool valid_origin_pattern(std::string_view value) {
    if (value == "*") {
        return true;
    }
    size_t scheme_end = value.find("://");
    if (scheme_end == std::string_view::npos || scheme_end == 0) {
        return false;
    }
    std::string_view scheme = value.substr(0, scheme_end);
    std::string_view authority = value.substr(scheme_end + 3);
    auto lower_alpha = [](char c) { return c >= 'a' && c <= 'z'; };
    if (!std::all_of(scheme.begin(), scheme.end(),
                     [&](char c) { return lower_alpha(c) || c == '+' || c == '-' || c == '.'; })) {
        return false;
    }
    if (authority.empty()) {
        return false;
    }
    return std::all_of(authority.begin(), authority.end(), [&](char c) {
        return lower_alpha(c) || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':' ||
               c == '[' || c == ']';
    });
}

bool from_browser_script(std::string_view x_requested_with, std::string_view sec_fetch_mode,
                         std::string_view origin) {
    return !x_requested_with.empty() || !origin.empty() ||
           (!sec_fetch_mode.empty() && sec_fetch_mode != "navigate");
}

}  // namespace twake::edge
