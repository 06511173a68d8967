// Trust boundary (docs/reference/edge-worker.md §1): every incoming header whose name starts with
// X-Twake- (any case) is removed before anything else, on every request, so that only the module
// decides what the worker hears about the caller.

#include <cstring>

#include "ngx_module/module_state.hpp"

namespace twake::edge {

namespace {

constexpr char kPrefix[] = "x-twake-";
constexpr size_t kPrefixLength = sizeof(kPrefix) - 1;

bool identity_header(const ngx_table_elt_t& h) {
    return h.key.len >= kPrefixLength &&
           ngx_strncasecmp(h.key.data, reinterpret_cast<u_char*>(const_cast<char*>(kPrefix)),
                           kPrefixLength) == 0;
}

}  // namespace

ngx_int_t strip_identity_headers(ngx_http_request_t* r) {
    if (r != r->main) {
        return NGX_DECLINED;
    }
    bool found = false;
    for (ngx_list_part_t* part = &r->headers_in.headers.part; part != nullptr && !found;
         part = part->next) {
        auto* h = static_cast<ngx_table_elt_t*>(part->elts);
        for (ngx_uint_t i = 0; i < part->nelts; ++i) {
            if (identity_header(h[i])) {
                found = true;
                break;
            }
        }
    }
    if (!found) {
        return NGX_DECLINED;  // the common case costs one scan, no allocation
    }
    // ngx_list_t has no removal: rebuild it in place without those headers (in place, because
    // a list points into itself). The parsed shortcuts (r->headers_in.host…) keep pointing at
    // the old elements, which stay in the pool.
    ngx_list_part_t old = r->headers_in.headers.part;
    if (ngx_list_init(&r->headers_in.headers, r->pool, 20, sizeof(ngx_table_elt_t)) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }
    for (ngx_list_part_t* part = &old; part != nullptr; part = part->next) {
        auto* h = static_cast<ngx_table_elt_t*>(part->elts);
        for (ngx_uint_t i = 0; i < part->nelts; ++i) {
            if (identity_header(h[i])) {
                continue;
            }
            auto* copy = static_cast<ngx_table_elt_t*>(ngx_list_push(&r->headers_in.headers));
            if (copy == nullptr) {
                return NGX_HTTP_INTERNAL_SERVER_ERROR;
            }
            *copy = h[i];
        }
    }
    return NGX_DECLINED;
}

std::string_view request_header(ngx_http_request_t* r, std::string_view lowercase_name) {
    for (ngx_list_part_t* part = &r->headers_in.headers.part; part != nullptr; part = part->next) {
        auto* h = static_cast<ngx_table_elt_t*>(part->elts);
        for (ngx_uint_t i = 0; i < part->nelts; ++i) {
            if (h[i].key.len == lowercase_name.size() &&
                ngx_strncasecmp(h[i].key.data,
                                reinterpret_cast<u_char*>(const_cast<char*>(lowercase_name.data())),
                                lowercase_name.size()) == 0) {
                return ngx::view(h[i].value);
            }
        }
    }
    return {};
}

ngx_int_t add_response_header(ngx_http_request_t* r, std::string_view key, std::string_view value) {
    auto* h = static_cast<ngx_table_elt_t*>(ngx_list_push(&r->headers_out.headers));
    if (h == nullptr) {
        return NGX_ERROR;
    }
    h->hash = 1;
    h->lowcase_key = nullptr;
    h->key = {key.size(), reinterpret_cast<u_char*>(const_cast<char*>(key.data()))};
    h->value = {value.size(), reinterpret_cast<u_char*>(const_cast<char*>(value.data()))};
    return NGX_OK;
}

}  // namespace twake::edge
