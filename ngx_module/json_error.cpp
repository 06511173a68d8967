#include "ngx_module/json_error.hpp"

#include <cstring>

#include "ngx_module/module_state.hpp"

namespace twake::edge {

ngx_int_t send_body(ngx_http_request_t* r, ngx_uint_t status, std::string_view content_type,
                    std::string_view body) {
    ngx_int_t rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }
    auto* data = static_cast<u_char*>(ngx_pnalloc(r->pool, body.size()));
    auto* buf = static_cast<ngx_buf_t*>(ngx_calloc_buf(r->pool));
    if (data == nullptr || buf == nullptr) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }
    std::memcpy(data, body.data(), body.size());
    buf->pos = data;
    buf->last = data + body.size();
    buf->memory = 1;
    buf->last_buf = (r == r->main) ? 1 : 0;
    buf->last_in_chain = 1;

    r->headers_out.status = status;
    r->headers_out.content_length_n = static_cast<off_t>(body.size());
    r->headers_out.content_type.len = content_type.size();
    r->headers_out.content_type.data =
        reinterpret_cast<u_char*>(const_cast<char*>(content_type.data()));
    r->headers_out.content_type_len = r->headers_out.content_type.len;
    r->headers_out.content_type_lowcase = nullptr;

    rc = ngx_http_send_header(r);
    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }
    ngx_chain_t out{buf, nullptr};
    return ngx_http_output_filter(r, &out);
}

ngx_int_t send_json_error(ngx_http_request_t* r, ngx_uint_t status, std::string_view type,
                          std::string_view message, std::string_view details) {
    return send_body(
        r, status, "application/json; charset=utf-8",
        contract::rest_error_document(static_cast<unsigned>(status), type, message, details));
}

ngx_int_t send_unauthorized_body(ngx_http_request_t* r, std::string_view details) {
    auto* h = static_cast<ngx_table_elt_t*>(ngx_list_push(&r->headers_out.headers));
    if (h == nullptr) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }
    h->hash = 1;
    ngx_str_set(&h->key, "WWW-Authenticate");
    ngx_str_set(&h->value, "Bearer realm=\"twake_calendar\"");
    r->headers_out.www_authenticate = h;
    // Native CalDAV/CardDAV clients send a password only when challenged for it; a browser
    // script never is (the browser would open a login dialog over the web app).
    if (loc_conf(r)->basic_challenge == 1 &&
        !from_browser_script(request_header(r, "x-requested-with"),
                             request_header(r, "sec-fetch-mode"), request_header(r, "origin")) &&
        add_response_header(r, "WWW-Authenticate",
                            "Basic realm=\"twake_calendar\", charset=\"UTF-8\"") != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }
    return send_json_error(r, NGX_HTTP_UNAUTHORIZED, "Unauthorized", "Unauthorized", details);
}

ngx_int_t send_unauthorized(ngx_http_request_t* r, std::string_view details) {
    ngx_int_t rc = send_unauthorized_body(r, details);
    // The response is complete: finalize here and tell the phase engine we are done.
    ngx_http_finalize_request(r, rc);
    return NGX_DONE;
}

}  // namespace twake::edge
