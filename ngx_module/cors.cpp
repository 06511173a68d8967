// CORS for the web apps served from another origin (docs/reference/rest-api.md §1.3; the policy is
// core/cors.hpp). A preflight is answered in the preaccess phase, before authentication (a
// browser sends it without credentials); every other answer of a cross-origin request gets its
// headers in a header filter, so the module's own refusals and nginx's error pages have them
// too, and whatever an upstream said about CORS is replaced.

#include <exception>

#include "ngx_module/json_error.hpp"
#include "ngx_module/module_state.hpp"

namespace twake::edge {

namespace {

constexpr std::string_view kAllowMethods =
    "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, PROPFIND, PROPPATCH, REPORT, MKCOL, "
    "MKCALENDAR, COPY, MOVE, ACL";
// Asked for when the browser names none (it always does for non-simple headers).
constexpr std::string_view kAllowHeaders =
    "Authorization, Content-Type, Accept, Depth, Destination, If-Match, If-None-Match, "
    "Overwrite, Prefer, X-Http-Method-Override, X-Requested-With";
// Response headers the apps read: the ETag for If-Match, where a created thing is, what a DAV
// server supports, a download's name.
constexpr std::string_view kExposeHeaders =
    "ETag, Location, DAV, Content-Disposition, Preference-Applied, WWW-Authenticate";
constexpr std::string_view kMaxAge = "600";

ngx_http_output_header_filter_pt g_next_header_filter = nullptr;

std::optional<CorsAnswer> answer_for(ngx_http_request_t* r, std::string_view origin) {
    LocConf* lc = loc_conf(r);
    return cors_answer(static_cast<CorsPolicy>(lc->cors), lc->cors_list, origin);
}

bool cors_header(const ngx_table_elt_t& h) {
    constexpr std::string_view prefix = "access-control-";
    return h.key.len >= prefix.size() &&
           ngx_strncasecmp(h.key.data, reinterpret_cast<u_char*>(const_cast<char*>(prefix.data())),
                           prefix.size()) == 0;
}

ngx_int_t cors_header_filter(ngx_http_request_t* r) {
    if (r != r->main || static_cast<CorsPolicy>(loc_conf(r)->cors) == CorsPolicy::Off) {
        return g_next_header_filter(r);
    }
    std::string_view origin = request_header(r, "origin");
    if (origin.empty()) {
        return g_next_header_filter(r);  // not a cross-origin request
    }
    for (ngx_list_part_t* part = &r->headers_out.headers.part;
         r->upstream != nullptr && part != nullptr; part = part->next) {
        auto* h = static_cast<ngx_table_elt_t*>(part->elts);
        for (ngx_uint_t i = 0; i < part->nelts; ++i) {
            if (cors_header(h[i])) {
                h[i].hash = 0;  // an upstream's own CORS headers: ours replace them
            }
        }
    }
    if (auto answer = answer_for(r, origin)) {
        if (add_response_header(r, "Access-Control-Allow-Origin", answer->allow_origin) != NGX_OK ||
            (answer->credentials &&
             add_response_header(r, "Access-Control-Allow-Credentials", "true") != NGX_OK) ||
            (answer->vary && add_response_header(r, "Vary", "Origin") != NGX_OK) ||
            (r->method != NGX_HTTP_OPTIONS &&
             add_response_header(r, "Access-Control-Expose-Headers", kExposeHeaders) != NGX_OK)) {
            return NGX_ERROR;
        }
    }
    return g_next_header_filter(r);
}

ngx_int_t preflight(ngx_http_request_t* r) {
    if (r != r->main || r->method != NGX_HTTP_OPTIONS ||
        static_cast<CorsPolicy>(loc_conf(r)->cors) == CorsPolicy::Off) {
        return NGX_DECLINED;
    }
    std::string_view origin = request_header(r, "origin");
    if (!is_preflight("OPTIONS", origin, request_header(r, "access-control-request-method"))) {
        return NGX_DECLINED;  // a DAV client's OPTIONS: authenticated and proxied as any request
    }
    if (!answer_for(r, origin)) {
        ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                      "twake_calendar: CORS preflight from an origin not in "
                      "twake_calendar_cors_origins: \"%*s\"",
                      static_cast<int>(origin.size()), origin.data());
        ngx_http_finalize_request(r,
                                  send_json_error(r, NGX_HTTP_FORBIDDEN, "Forbidden", "Forbidden",
                                                  "This origin is not allowed to call the API"));
        return NGX_DONE;
    }
    ngx_int_t rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }
    std::string_view asked = request_header(r, "access-control-request-headers");
    if (add_response_header(r, "Access-Control-Allow-Methods", kAllowMethods) != NGX_OK ||
        add_response_header(r, "Access-Control-Allow-Headers",
                            asked.empty() ? kAllowHeaders : asked) != NGX_OK ||
        add_response_header(r, "Access-Control-Max-Age", kMaxAge) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }
    r->headers_out.status = NGX_HTTP_NO_CONTENT;
    r->headers_out.content_length_n = 0;
    r->header_only = 1;
    ngx_http_finalize_request(r, ngx_http_send_header(r));
    return NGX_DONE;
}

}  // namespace

ngx_int_t cors_preflight_handler(ngx_http_request_t* r) {
    try {
        return preflight(r);
    } catch (const std::exception& e) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0, "twake_calendar: %s", e.what());
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }
}

ngx_int_t init_cors_filter(ngx_conf_t*) {
    g_next_header_filter = ngx_http_top_header_filter;
    ngx_http_top_header_filter = cors_header_filter;
    return NGX_OK;
}

}  // namespace twake::edge
