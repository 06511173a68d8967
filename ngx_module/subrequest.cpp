// The module's calls to internal locations (identity provider, worker), as nginx's
// auth_request makes them: an in-memory subrequest whose status and body the post-subrequest
// handler keeps for the request's next visit to the access phase.

#include "ngx_module/module_state.hpp"

namespace twake::edge {

namespace {

// The post-subrequest handler: keeps status and body (in memory) for the next visit. nginx
// may call it twice for one subrequest (once with an error status, once after its error page):
// the request waiting for it is woken once.
ngx_int_t subrequest_done(ngx_http_request_t* sr, void* data, ngx_int_t rc) {
    auto* answer = static_cast<SubAnswer*>(data);
    if (!answer->done) {
        answer->done = true;
        // A background subrequest does not wake its parent itself.
        if (ngx_http_post_request(sr->parent, nullptr) != NGX_OK) {
            return NGX_ERROR;
        }
    }
    answer->status = static_cast<int>(sr->headers_out.status);
    if (answer->status == 0 && rc >= NGX_HTTP_SPECIAL_RESPONSE) {
        answer->status = static_cast<int>(rc);
    }
    for (ngx_list_part_t* part = &sr->headers_out.headers.part; part != nullptr;
         part = part->next) {
        auto* h = static_cast<ngx_table_elt_t*>(part->elts);
        for (ngx_uint_t i = 0; i < part->nelts; ++i) {
            std::string_view key = contract::header::kRefusal;
            if (h[i].hash != 0 && h[i].key.len == key.size() &&
                ngx_strncasecmp(h[i].key.data,
                                reinterpret_cast<u_char*>(const_cast<char*>(key.data())),
                                key.size()) == 0) {
                answer->refusal.assign(ngx::view(h[i].value));
            }
        }
    }
    if (sr->out != nullptr && sr->out->buf != nullptr) {
        ngx_buf_t* b = sr->out->buf;
        answer->body.assign(reinterpret_cast<const char*>(b->pos),
                            static_cast<size_t>(b->last - b->pos));
    }
    return rc;
}

}  // namespace

ngx_int_t start_subrequest(ngx_http_request_t* r, const ngx_str_t& uri, std::string_view args,
                           SubAnswer* answer) {
    auto* ps = static_cast<ngx_http_post_subrequest_t*>(
        ngx_palloc(r->pool, sizeof(ngx_http_post_subrequest_t)));
    if (ps == nullptr) {
        return NGX_ERROR;
    }
    ps->handler = subrequest_done;
    ps->data = answer;
    ngx_str_t* sub_args = nullptr;
    ngx_str_t a;
    if (!args.empty()) {
        if (pool_str(r->pool, args, &a) != NGX_OK) {
            return NGX_ERROR;
        }
        sub_args = &a;
    }
    ngx_str_t u = uri;
    ngx_http_request_t* sr = nullptr;
    // In the background: a subrequest that waits in its parent's output queue is only finished
    // by the parent's body, and a HEAD or an error answered in the access phase has none (nginx
    // then never finishes the main request and the connection hangs). Several lookups run at
    // once (introspection and userinfo), so most of them would wait there.
    if (ngx_http_subrequest(r, &u, sub_args, &sr, ps,
                            NGX_HTTP_SUBREQUEST_IN_MEMORY | NGX_HTTP_SUBREQUEST_BACKGROUND) !=
        NGX_OK) {
        return NGX_ERROR;
    }
    // A fake, empty body: the subrequest must neither read nor reuse the client's (a 50 MB PUT
    // stays with the main request), nor announce it: the client's Content-Length or chunked
    // encoding would make the internal location's server wait for a body that never comes.
    sr->request_body = static_cast<ngx_http_request_body_t*>(
        ngx_pcalloc(r->pool, sizeof(ngx_http_request_body_t)));
    if (sr->request_body == nullptr) {
        return NGX_ERROR;
    }
    sr->headers_in.content_length_n = 0;
    sr->headers_in.content_length = nullptr;
    sr->headers_in.chunked = 0;
    sr->headers_in.transfer_encoding = nullptr;
    answer->started = true;
    return NGX_OK;
}

}  // namespace twake::edge
