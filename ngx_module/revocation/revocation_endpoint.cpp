#include "ngx_module/revocation/revocation_endpoint.hpp"

#include <exception>
#include <string>

#include "ngx_module/cache/session_eviction.hpp"
#include "ngx_module/core/redis_token_record.hpp"
#include "ngx_module/edge_process.hpp"
#include "ngx_module/json_error.hpp"
#include "ngx_module/module_state.hpp"
#include "ngx_module/token_cache.hpp"
#include "shared/crypto/digest.hpp"

namespace twake::edge {

namespace {

constexpr std::string_view kJson = "application/json; charset=utf-8";
// A sid and, at most, the keys of a session's tokens: far below this.
constexpr off_t kMaxBody = 64 * 1024;

bool worker_authenticated(ngx_http_request_t* r, const MainConf* mc) {
    constexpr std::string_view kScheme = "Bearer ";
    ngx_table_elt_t* h = r->headers_in.authorization;
    if (h == nullptr || mc->edge_secret.len == 0) {
        return false;
    }
    std::string_view value = ngx::view(h->value);
    return value.starts_with(kScheme) &&
           crypto::secrets_equal(value.substr(kScheme.size()), ngx::view(mc->edge_secret));
}

// The body, when nginx kept it in memory (it is small; client_body_buffer_size is 8k or 16k).
std::optional<std::string> body_in_memory(ngx_http_request_t* r) {
    std::string body;
    if (r->request_body == nullptr) {
        return body;
    }
    for (ngx_chain_t* cl = r->request_body->bufs; cl != nullptr; cl = cl->next) {
        ngx_buf_t* b = cl->buf;
        if (b->in_file) {
            return std::nullopt;
        }
        if (!ngx_buf_in_memory(b)) {
            continue;  // an empty body's last buffer holds nothing
        }
        body.append(reinterpret_cast<const char*>(b->pos), static_cast<size_t>(b->last - b->pos));
    }
    return body;
}

ngx_int_t revoke(ngx_http_request_t* r) {
    auto body = body_in_memory(r);
    if (!body) {
        return send_json_error(r, NGX_HTTP_REQUEST_ENTITY_TOO_LARGE, "PayloadTooLarge",
                               "Payload Too Large",
                               "The revocation is larger than client_body_buffer_size");
    }
    auto revocation = parse_revocation(*body);
    if (!revocation || (revocation->sid.empty() && revocation->digests.empty())) {
        return send_json_error(r, NGX_HTTP_BAD_REQUEST, "BadRequest", "Bad request",
                               "Expected the JSON {\"sid\":\"<sid>\"} (and optionally \"keys\")");
    }
    MainConf* mc = main_conf(r);
    size_t evicted = evict_session(*mc->runtime->cache, *revocation, edge_metrics());
    ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                  "twake_calendar: session revoked by the worker (sid \"%s\"): %uz cached "
                  "entries evicted, %uz token keys",
                  revocation->sid.c_str(), evicted, revocation->digests.size());
    return send_body(r, NGX_HTTP_OK, kJson, "{\"evicted\":" + std::to_string(evicted) + "}");
}

void body_read(ngx_http_request_t* r) {
    ngx_int_t rc;
    try {
        rc = revoke(r);
    } catch (const std::exception& e) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0, "twake_calendar: %s", e.what());
        rc = NGX_HTTP_INTERNAL_SERVER_ERROR;
    }
    ngx_http_finalize_request(r, rc);
}

ngx_int_t revocation_handler(ngx_http_request_t* r) {
    try {
        if (!(r->method & NGX_HTTP_POST)) {
            return send_json_error(r, NGX_HTTP_NOT_ALLOWED, "MethodNotAllowed",
                                   "Method Not Allowed", "POST the revoked session");
        }
        if (!worker_authenticated(r, main_conf(r))) {
            ngx_log_error(NGX_LOG_WARN, r->connection->log, 0,
                          "twake_calendar: refused a revocation without the edge secret (the "
                          "worker sends its edge.secret, nginx checks twake_calendar_edge_secret)");
            return send_unauthorized_body(r, "Missing or wrong edge secret");
        }
        if (r->headers_in.content_length_n > kMaxBody) {
            return send_json_error(r, NGX_HTTP_REQUEST_ENTITY_TOO_LARGE, "PayloadTooLarge",
                                   "Payload Too Large", "A revocation is a sid");
        }
        r->request_body_in_single_buf = 1;
        ngx_int_t rc = ngx_http_read_client_request_body(r, body_read);
        if (rc >= NGX_HTTP_SPECIAL_RESPONSE) {
            return rc;
        }
        return NGX_DONE;
    } catch (const std::exception& e) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0, "twake_calendar: %s", e.what());
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }
}

}  // namespace

char* set_revocation_handler(ngx_conf_t* cf, ngx_command_t*, void*) {
    auto* clcf = static_cast<ngx_http_core_loc_conf_t*>(
        ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module));
    clcf->handler = revocation_handler;
    auto* mc = static_cast<MainConf*>(
        ngx_http_conf_get_module_main_conf(cf, ngx_http_twake_calendar_module));
    mc->revocation_endpoint = true;
    return NGX_CONF_OK;
}

}  // namespace twake::edge
