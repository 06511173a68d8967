#pragma once

// The module's configuration, per-request state and the functions its files share. Only the
// module's own files include this.

#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ngx_module/core/cors.hpp"
#include "ngx_module/core/credential.hpp"
#include "ngx_module/core/oidc_flow.hpp"
#include "ngx_module/core/oidc_token.hpp"
#include "ngx_module/ngx.hpp"
#include "ngx_module/redis/redis_link.hpp"
#include "ngx_module/token_flights.hpp"
#include "ngx_module/wakeup.hpp"
#include "shared/contract/edge_worker.hpp"
#include "shared/crypto/digest.hpp"
#include "shared/jwt/jwt_signer.hpp"
#include "shared/jwt/jwt_verifier.hpp"

extern "C" {
extern ngx_module_t ngx_http_twake_calendar_module;
}

namespace twake::edge {

class TokenCache;

// Objects built once from the configuration, living as long as the configuration cycle.
struct Runtime {
    OidcFlowSettings oidc_flow;                       // audiences, claim, cache TTLs
    std::optional<jwt::JwtVerifier> legacy_verifier;  // twake_calendar_jwt_public_key
    std::optional<jwt::JwtSigner> legacy_signer;      // twake_calendar_jwt_private_key
    std::unique_ptr<TokenCache> cache;                // the shared-memory first level
    std::string basic_cache_key;                      // HMAC key of Basic successes, per zone
    std::optional<RedisTarget> redis;                 // twake_calendar_redis
};

struct MainConf {
    ngx_str_t admin_user = ngx_null_string;
    ngx_str_t admin_password = ngx_null_string;
    ngx_str_t dav_user = ngx_null_string;
    ngx_str_t dav_password = ngx_null_string;
    ngx_str_t edge_secret = ngx_null_string;  // sent to a worker listening on TCP
    ngx_array_t* audiences = nullptr;         // of ngx_str_t
    ngx_str_t claim = ngx_null_string;
    // Of ngx_str_t (file paths); nginx's array slot setter wants NGX_CONF_UNSET_PTR at first.
    ngx_array_t* jwt_public_keys = static_cast<ngx_array_t*>(NGX_CONF_UNSET_PTR);
    ngx_str_t jwt_private_key = ngx_null_string;
    ngx_msec_t jwt_validity = NGX_CONF_UNSET_MSEC;
    size_t cache_size = NGX_CONF_UNSET_SIZE;
    ngx_msec_t cache_ttl = NGX_CONF_UNSET_MSEC;
    ngx_msec_t negative_ttl = NGX_CONF_UNSET_MSEC;
    ngx_flag_t shm_cache = NGX_CONF_UNSET;      // tokens in the first level (off: benchmarks)
    ngx_str_t redis_address = ngx_null_string;  // host:port
    ngx_str_t redis_password = ngx_null_string;
    ngx_int_t redis_db = 0;
    ngx_msec_t redis_timeout = NGX_CONF_UNSET_MSEC;
    ngx_shm_zone_t* zone = nullptr;
    ngx_shm_zone_t* metrics_zone = nullptr;
    bool revocation_endpoint = false;  // some location has twake_calendar_revocation
    Runtime* runtime = nullptr;
};

enum class AuthMode : ngx_uint_t { Off = 0, On = 1, Optional = 2 };

struct LocConf {
    ngx_uint_t auth = NGX_CONF_UNSET_UINT;  // AuthMode
    ngx_str_t route = ngx_null_string;      // twake_calendar_route, for logs
    // Internal locations the module calls by subrequest (routing stays in nginx.conf).
    ngx_str_t introspection_uri = ngx_null_string;
    ngx_str_t userinfo_uri = ngx_null_string;
    ngx_str_t provision_uri = ngx_null_string;
    ngx_str_t basic_uri = ngx_null_string;
    ngx_str_t domain_uri = ngx_null_string;
    // twake_calendar_secret_link: this location serves secret-link downloads, and asks here.
    ngx_str_t secret_link_uri = ngx_null_string;
    // twake_calendar_ticket: this location (`/ws`) is opened by its ?ticket= only, which the
    // worker consumes through this internal location.
    ngx_str_t ticket_uri = ngx_null_string;
    // twake_calendar_cors_origins: a CorsPolicy, and the origins of CorsPolicy::List (views
    // of the directive's values, in the configuration pool).
    ngx_uint_t cors = NGX_CONF_UNSET_UINT;
    std::span<const std::string_view> cors_list;
    // twake_calendar_basic_challenge: a 401 also offers Basic to native clients.
    ngx_flag_t basic_challenge = NGX_CONF_UNSET;
};

using contract::AuthMethod;

const char* level_name(CacheLevel l);

// The answer of one subrequest, kept in memory.
struct SubAnswer {
    bool started = false;
    bool done = false;
    int status = 0;  // 0: no answer (the upstream could not be reached)
    std::string body;
    std::string refusal;  // the worker's X-Twake-Refusal, if any
};

// Per main request. Allocated in the request pool; its destructor runs at pool cleanup.
struct RequestCtx {
    Credential credential;
    SubAnswer introspection;
    SubAnswer userinfo;
    SubAnswer provision;
    SubAnswer basic;
    SubAnswer domain;
    SubAnswer link;                // secret link: the worker's lookup
    std::string link_token;        // secret link: the download's token, decoded and trimmed
    std::string link_key;          // secret link: the first level's key (SHA-256, raw)
    std::string_view export_path;  // secret link: what to export as the owner (request pool)
    SubAnswer ticket;              // WebSocket ticket: the worker's consumption of it
    std::string ticket_value;      // WebSocket ticket: the presented UUID, lower-cased
    // OIDC: the flow (core/oidc_flow.hpp) and what the request waits for between visits.
    std::optional<OidcFlow> oidc;
    enum class OidcWait { Nothing, Leader, Redis, IdentityProvider, Provisioning };
    OidcWait oidc_wait = OidcWait::Nothing;
    bool leading = false;                     // its token's flight is to be landed by this one
    std::shared_ptr<Wakeup> wakeup;           // made on the first wait
    std::shared_ptr<AwaitedOutcome> awaited;  // the flight's outcome, or the Redis lookup's
    std::chrono::steady_clock::time_point idp_started;  // for the latency histogram
    std::string jwt_subject;  // legacy JWT: the subject's address and domain, being checked
    std::string domain_name;

    bool authenticated = false;
    AuthMethod method = AuthMethod::Oidc;  // once authenticated
    CacheLevel level = CacheLevel::None;
    // Who the caller is: set by set_identity, in the request pool (a cache hit allocates
    // nothing of its own).
    std::string_view email;
    std::string_view sid;

    void set_identity(ngx_pool_t* pool, std::string_view email, std::string_view sid);
};

MainConf* main_conf(ngx_http_request_t* r);
LocConf* loc_conf(ngx_http_request_t* r);
// The main request's context (subrequests read the main request's), or nullptr.
RequestCtx* request_ctx(ngx_http_request_t* r);

// Access phase handler (access.cpp).
ngx_int_t access_handler(ngx_http_request_t* r);
// Starts an in-memory subrequest to an internal location; `answer` gets its status and body.
ngx_int_t start_subrequest(ngx_http_request_t* r, const ngx_str_t& uri, std::string_view args,
                           SubAnswer* answer);
// The access phase of each credential kind (basic_access.cpp, jwt_access.cpp,
// oidc_access.cpp): NGX_OK once the caller is known, NGX_AGAIN while waiting, NGX_DONE after
// answering.
ngx_int_t basic_step(ngx_http_request_t* r, RequestCtx* ctx, MainConf* mc, LocConf* lc);
ngx_int_t jwt_step(ngx_http_request_t* r, RequestCtx* ctx, MainConf* mc, LocConf* lc);
ngx_int_t oidc_step(ngx_http_request_t* r, RequestCtx* ctx, MainConf* mc, LocConf* lc);
// A leader gone before knowing (request aborted, worker exiting): its followers look again.
void abandon_flight(RequestCtx* ctx);
// The access phase of a secret-link download (secret_link_access.cpp).
ngx_int_t secret_link_step(ngx_http_request_t* r, RequestCtx* ctx, MainConf* mc, LocConf* lc);
// The access phase of a `/ws` handshake (ticket_access.cpp).
ngx_int_t ticket_step(ngx_http_request_t* r, RequestCtx* ctx, LocConf* lc);
// Removes every incoming X-Twake-* header (headers.cpp); runs first for every request.
ngx_int_t strip_identity_headers(ngx_http_request_t* r);
// The value of the first request header named `lowercase_name`, or "" (headers.cpp).
std::string_view request_header(ngx_http_request_t* r, std::string_view lowercase_name);
// Adds a response header; key and value must live as long as the request (headers.cpp).
ngx_int_t add_response_header(ngx_http_request_t* r, std::string_view key, std::string_view value);
// CORS (cors.cpp): preflights answered in the preaccess phase, headers added to every answer.
ngx_int_t cors_preflight_handler(ngx_http_request_t* r);
ngx_int_t init_cors_filter(ngx_conf_t* cf);
// Registers the module's variables (variables.cpp).
ngx_int_t add_variables(ngx_conf_t* cf);

// A copy of a std::string in a pool, as an ngx_str_t.
ngx_int_t pool_str(ngx_pool_t* pool, std::string_view value, ngx_str_t* out);

}  // namespace twake::edge
