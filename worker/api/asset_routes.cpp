// Public assets (docs/reference/rest-api.md §11.1, §11.2): generated letter avatars and resource
// icons.

#include <algorithm>

#include "shared/text/uuid.hpp"
#include "worker/api/rest_error.hpp"
#include "worker/api/routes.hpp"
#include "worker/icons/icon_catalog.hpp"

namespace twake::api {

namespace {

using http::beast_http::field;
using http::beast_http::status;
using http::beast_http::verb;

// An If-None-Match header naming this ETag (or `*`).
bool etag_matches(const http::Request& request, const std::string& etag) {
    auto it = request.find(field::if_none_match);
    if (it == request.end()) {
        return false;
    }
    std::string_view value = it->value();
    size_t pos = 0;
    while (pos <= value.size()) {
        size_t comma = value.find(',', pos);
        std::string_view item =
            value.substr(pos, comma == std::string_view::npos ? value.size() - pos : comma - pos);
        while (!item.empty() && item.front() == ' ')
            item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ')
            item.remove_suffix(1);
        if (item == "*" || item == etag) {
            return true;
        }
        if (comma == std::string_view::npos) {
            break;
        }
        pos = comma + 1;
    }
    return false;
}

}  // namespace

void add_asset_routes(http::Router& router, ApiContext& ctx) {
    router.add(
        verb::get, "/api/avatars",
        [&ctx](http::RouteContext& route) -> http::Awaitable<http::Response> {
            auto email = route.target.param("email");
            if (!email) {
                throw bad_request("Request for avatar is missing email query parameter");
            }
            if (email->empty()) {
                throw bad_request("Empty email");
            }
            auto png = ctx.avatars.png_for(*email);
            http::Response r = http::make_response(status::ok, "image/png", *png);
            r.set(field::cache_control, "max-age=1800, public");
            co_return r;
        },
        "AvatarRoute");

    // ETags change with each process start, as upstream's do: a new version may ship new art.
    auto start_tag = std::make_shared<std::string>(text::random_uuid().substr(0, 8));
    auto icon = [start_tag](http::RouteContext& route) -> http::Awaitable<http::Response> {
        const std::string& file = route.params.at("file");
        constexpr std::string_view kSuffix = ".svg";
        if (file.size() <= kSuffix.size() || !file.ends_with(kSuffix)) {
            co_return error_response(file == std::string(kSuffix) ? 400 : 404,
                                     file == std::string(kSuffix) ? "BadRequest" : "NotFound",
                                     file == std::string(kSuffix) ? "Bad request" : "Not Found",
                                     "Unknown icon");
        }
        std::string name = file.substr(0, file.size() - kSuffix.size());
        auto svg = icons::find(name);
        if (!svg) {
            throw not_found("Unknown icon");
        }
        std::string lower = name;
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        std::string etag = "\"" + *start_tag + "-" + lower + "\"";
        http::Response r =
            etag_matches(route.request, etag)
                ? http::make_response(status::not_modified, "", "")
                : http::make_response(status::ok, "image/svg+xml", std::string(*svg));
        r.set(field::cache_control, "public, max-age=604800");
        r.set(field::etag, etag);
        r.set("X-Content-Type-Options", "nosniff");
        co_return r;
    };
    router.add(verb::get, "/images/icon/{file}", icon, "ResourceIconRoute");
    router.add(verb::get, "/linagora.esn.resource/images/icon/{file}", icon, "ResourceIconRoute");
}

}  // namespace twake::api
