// ngx_http_twake_calendar_module: the Twake Calendar edge inside nginx (docs/nginx-module.md).
//
// Configuration is plain structs filled by nginx's slot setters; the directive table reads
// like the documentation. Every handler catches at its boundary, so no exception ever
// crosses back into nginx.

#include <openssl/rand.h>

#include <exception>
#include <new>

#include "ngx_module/cache/shm_token_cache.hpp"
#include "ngx_module/edge_process.hpp"
#include "ngx_module/metrics/metrics_handler.hpp"
#include "ngx_module/module_state.hpp"
#include "ngx_module/revocation/revocation_endpoint.hpp"
#include "shared/jwt/key_location.hpp"
#include "shared/version.hpp"

namespace twake::edge {

namespace {

constexpr size_t kDefaultZoneSize = 10 * 1024 * 1024;

ngx_conf_enum_t kAuthModes[] = {
    {ngx_string("off"), static_cast<ngx_uint_t>(AuthMode::Off)},
    {ngx_string("on"), static_cast<ngx_uint_t>(AuthMode::On)},
    {ngx_string("optional"), static_cast<ngx_uint_t>(AuthMode::Optional)},
    {ngx_null_string, 0},
};

template <class T>
T* construct_in(ngx_pool_t* pool) {
    void* mem = ngx_pcalloc(pool, sizeof(T));
    return mem != nullptr ? new (mem) T() : nullptr;
}

void* create_main_conf(ngx_conf_t* cf) {
    return construct_in<MainConf>(cf->pool);
}

void* create_loc_conf(ngx_conf_t* cf) {
    return construct_in<LocConf>(cf->pool);
}

char* merge_loc_conf(ngx_conf_t*, void* parent, void* child) {
    auto* prev = static_cast<LocConf*>(parent);
    auto* conf = static_cast<LocConf*>(child);
    ngx_conf_merge_uint_value(conf->auth, prev->auth, static_cast<ngx_uint_t>(AuthMode::Off));
    ngx_conf_merge_str_value(conf->route, prev->route, "edge");
    ngx_conf_merge_str_value(conf->introspection_uri, prev->introspection_uri, "");
    ngx_conf_merge_str_value(conf->userinfo_uri, prev->userinfo_uri, "");
    ngx_conf_merge_str_value(conf->provision_uri, prev->provision_uri, "");
    ngx_conf_merge_str_value(conf->basic_uri, prev->basic_uri, "");
    ngx_conf_merge_str_value(conf->domain_uri, prev->domain_uri, "");
    ngx_conf_merge_str_value(conf->secret_link_uri, prev->secret_link_uri, "");
    ngx_conf_merge_str_value(conf->ticket_uri, prev->ticket_uri, "");
    if (conf->cors == NGX_CONF_UNSET_UINT) {
        // Default: any origin, without credentials (the apps send bearer tokens, which a
        // foreign page cannot; docs/nginx-module.md).
        conf->cors = prev->cors != NGX_CONF_UNSET_UINT ? prev->cors
                                                       : static_cast<ngx_uint_t>(CorsPolicy::Any);
        conf->cors_list = prev->cors_list;
    }
    ngx_conf_merge_value(conf->basic_challenge, prev->basic_challenge, 0);
    return NGX_CONF_OK;
}

// `twake_calendar_cors_origins off | * | <origin> …;`
char* set_cors_origins(ngx_conf_t* cf, ngx_command_t*, void* conf) {
    auto* lc = static_cast<LocConf*>(conf);
    if (lc->cors != NGX_CONF_UNSET_UINT) {
        return const_cast<char*>("is duplicate");
    }
    auto* values = static_cast<ngx_str_t*>(cf->args->elts);
    size_t count = cf->args->nelts - 1;
    std::string_view first = ngx::view(values[1]);
    if (count == 1 && (first == "off" || first == "*")) {
        lc->cors = static_cast<ngx_uint_t>(first == "off" ? CorsPolicy::Off : CorsPolicy::Any);
        return NGX_CONF_OK;
    }
    auto* list =
        static_cast<std::string_view*>(ngx_palloc(cf->pool, count * sizeof(std::string_view)));
    if (list == nullptr) {
        return static_cast<char*>(NGX_CONF_ERROR);
    }
    for (size_t i = 0; i < count; ++i) {
        std::string_view origin = ngx::view(values[i + 1]);
        if (origin == "*" || !valid_origin_pattern(origin)) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "invalid origin \"%V\": expected scheme://host[:port] in lower "
                               "case and nothing after it, or a lone \"*\" or \"off\"",
                               &values[i + 1]);
            return static_cast<char*>(NGX_CONF_ERROR);
        }
        new (&list[i]) std::string_view(origin);
    }
    lc->cors = static_cast<ngx_uint_t>(CorsPolicy::List);
    lc->cors_list = {list, count};
    return NGX_CONF_OK;
}

// `twake_calendar_admin <username> <password>;` and `twake_calendar_dav_admin …`: two values
// into two members.
template <ngx_str_t MainConf::*First, ngx_str_t MainConf::*Second>
char* set_pair(ngx_conf_t* cf, ngx_command_t*, void* conf) {
    auto* mc = static_cast<MainConf*>(conf);
    auto* values = static_cast<ngx_str_t*>(cf->args->elts);
    if ((mc->*First).len != 0) {
        return const_cast<char*>("is duplicate");
    }
    mc->*First = values[1];
    mc->*Second = values[2];
    return NGX_CONF_OK;
}

char* set_audiences(ngx_conf_t* cf, ngx_command_t*, void* conf) {
    auto* mc = static_cast<MainConf*>(conf);
    auto* values = static_cast<ngx_str_t*>(cf->args->elts);
    if (mc->audiences == nullptr) {
        mc->audiences = ngx_array_create(cf->pool, 2, sizeof(ngx_str_t));
        if (mc->audiences == nullptr) {
            return static_cast<char*>(NGX_CONF_ERROR);
        }
    }
    for (ngx_uint_t i = 1; i < cf->args->nelts; ++i) {
        auto* slot = static_cast<ngx_str_t*>(ngx_array_push(mc->audiences));
        if (slot == nullptr) {
            return static_cast<char*>(NGX_CONF_ERROR);
        }
        *slot = values[i];
    }
    return NGX_CONF_OK;
}

// `twake_calendar_redis host:port [password=…] [db=N] [timeout=time];`
char* set_redis(ngx_conf_t* cf, ngx_command_t*, void* conf) {
    auto* mc = static_cast<MainConf*>(conf);
    auto* values = static_cast<ngx_str_t*>(cf->args->elts);
    if (mc->redis_address.len != 0) {
        return const_cast<char*>("is duplicate");
    }
    mc->redis_address = values[1];
    for (ngx_uint_t i = 2; i < cf->args->nelts; ++i) {
        std::string_view v = ngx::view(values[i]);
        if (v.starts_with("password=")) {
            mc->redis_password = {v.size() - 9, values[i].data + 9};
        } else if (v.starts_with("db=")) {
            mc->redis_db = ngx_atoi(values[i].data + 3, v.size() - 3);
            if (mc->redis_db == NGX_ERROR) {
                return const_cast<char*>("has an invalid \"db=\" (a database number)");
            }
        } else if (v.starts_with("timeout=")) {
            ngx_str_t t{v.size() - 8, values[i].data + 8};
            mc->redis_timeout = ngx_parse_time(&t, 0);
            if (mc->redis_timeout == static_cast<ngx_msec_t>(NGX_ERROR)) {
                return const_cast<char*>("has an invalid \"timeout=\" (e.g. timeout=500ms)");
            }
        } else {
            ngx_conf_log_error(
                NGX_LOG_EMERG, cf, 0,
                "invalid parameter \"%V\": expected password=, db= or timeout=", &values[i]);
            return static_cast<char*>(NGX_CONF_ERROR);
        }
    }
    return NGX_CONF_OK;
}

// The Redis address, resolved once now (never per request): an IP and a port.
ngx_int_t resolve_redis(ngx_conf_t* cf, MainConf* mc, Runtime* rt) {
    if (mc->redis_address.len == 0) {
        return NGX_OK;
    }
    ngx_url_t u{};
    u.url = mc->redis_address;
    u.default_port = 6379;
    if (ngx_parse_url(cf->pool, &u) != NGX_OK || u.naddrs == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "twake_calendar_redis: %s in \"%V\"",
                           u.err != nullptr ? u.err : "host not found", &u.url);
        return NGX_ERROR;
    }
    u_char text[NGX_SOCKADDR_STRLEN];
    size_t len = ngx_sock_ntop(u.addrs[0].sockaddr, u.addrs[0].socklen, text, sizeof text, 0);
    RedisTarget target;
    target.ip.assign(reinterpret_cast<char*>(text), len);
    target.port = u.port != 0 ? u.port : 6379;
    target.password = std::string(ngx::view(mc->redis_password));
    target.database = static_cast<int>(mc->redis_db);
    rt->redis = std::move(target);
    return NGX_OK;
}

char* init_main_conf(ngx_conf_t*, void* conf) {
    auto* mc = static_cast<MainConf*>(conf);
    ngx_conf_init_size_value(mc->cache_size, kDefaultZoneSize);
    ngx_conf_init_msec_value(mc->cache_ttl, 5 * 60 * 1000);
    ngx_conf_init_msec_value(mc->negative_ttl, 30 * 1000);
    ngx_conf_init_msec_value(mc->jwt_validity, 12 * 3600 * 1000);
    ngx_conf_init_value(mc->shm_cache, 1);
    ngx_conf_init_msec_value(mc->redis_timeout, 500);
    return NGX_CONF_OK;
}

void destroy_runtime(void* data) {
    delete static_cast<Runtime*>(data);
}

// Builds what the configuration implies once (keys, the cache); errors name the directive.
ngx_int_t build_runtime(ngx_conf_t* cf, MainConf* mc) {
    auto runtime = std::make_unique<Runtime>();
    OidcFlowSettings& oidc = runtime->oidc_flow;
    if (mc->audiences != nullptr) {
        auto* values = static_cast<ngx_str_t*>(mc->audiences->elts);
        for (ngx_uint_t i = 0; i < mc->audiences->nelts; ++i) {
            oidc.oidc.audiences.emplace_back(ngx::view(values[i]));
        }
    } else {
        oidc.oidc.audiences = {"tcalendar"};  // upstream's default oidc.audience
    }
    if (mc->claim.len > 0) {
        oidc.oidc.claim = std::string(ngx::view(mc->claim));
    }
    oidc.cache_ttl_ms = static_cast<int64_t>(mc->cache_ttl);
    oidc.negative_ttl_ms = static_cast<int64_t>(mc->negative_ttl);
    oidc.first_level = mc->shm_cache != 0;
    try {
        if (mc->jwt_public_keys != NGX_CONF_UNSET_PTR && mc->jwt_public_keys != nullptr) {
            std::string list;
            auto* values = static_cast<ngx_str_t*>(mc->jwt_public_keys->elts);
            for (ngx_uint_t i = 0; i < mc->jwt_public_keys->nelts; ++i) {
                list += (list.empty() ? "" : ",") + std::string(ngx::view(values[i]));
            }
            runtime->legacy_verifier.emplace(
                jwt::load_public_keys(list, ".", "twake_calendar_jwt_public_key"));
        }
        if (mc->jwt_private_key.len > 0) {
            runtime->legacy_signer.emplace(jwt::load_private_key(
                ngx::view(mc->jwt_private_key), ".", "twake_calendar_jwt_private_key"));
        }
    } catch (const std::exception& e) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "twake_calendar: %s", e.what());
        return NGX_ERROR;
    }
    // The HMAC key of cached Basic successes: random, never written anywhere.
    unsigned char key[32];
    if (RAND_bytes(key, sizeof key) != 1) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "twake_calendar: no random bytes for the Basic cache key");
        return NGX_ERROR;
    }
    runtime->basic_cache_key.assign(reinterpret_cast<char*>(key), sizeof key);

    if (mc->edge_secret.len > 0 && mc->edge_secret.len < 32) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "twake_calendar_edge_secret must be at least 32 characters, the "
                           "worker's edge.secret");
        return NGX_ERROR;
    }
    if (mc->revocation_endpoint && mc->edge_secret.len == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "twake_calendar_revocation needs twake_calendar_edge_secret: the "
                           "worker authenticates its calls with that secret (its edge.secret)");
        return NGX_ERROR;
    }
    if (resolve_redis(cf, mc, runtime.get()) != NGX_OK) {
        return NGX_ERROR;
    }

    ngx_str_t zone_name = ngx_string("twake_calendar");
    mc->zone =
        ngx_shared_memory_add(cf, &zone_name, mc->cache_size, &ngx_http_twake_calendar_module);
    if (mc->zone == nullptr) {
        return NGX_ERROR;
    }
    mc->zone->init = ShmTokenCache::init_zone;
    runtime->cache = std::make_unique<ShmTokenCache>(mc->zone);

    // Counters of every worker process; its own zone so that resizing the cache keeps them.
    ngx_str_t metrics_name = ngx_string("twake_calendar_metrics");
    mc->metrics_zone =
        ngx_shared_memory_add(cf, &metrics_name, 64 * 1024, &ngx_http_twake_calendar_module);
    if (mc->metrics_zone == nullptr) {
        return NGX_ERROR;
    }
    mc->metrics_zone->init = init_metrics_zone;

    ngx_pool_cleanup_t* cleanup = ngx_pool_cleanup_add(cf->pool, 0);
    if (cleanup == nullptr) {
        return NGX_ERROR;
    }
    mc->runtime = runtime.release();
    cleanup->handler = destroy_runtime;
    cleanup->data = mc->runtime;
    return NGX_OK;
}

ngx_int_t preconfiguration(ngx_conf_t* cf) {
    return add_variables(cf);
}

ngx_int_t postconfiguration(ngx_conf_t* cf) {
    try {
        auto* cmcf = static_cast<ngx_http_core_main_conf_t*>(
            ngx_http_conf_get_module_main_conf(cf, ngx_http_core_module));
        auto* strip = static_cast<ngx_http_handler_pt*>(
            ngx_array_push(&cmcf->phases[NGX_HTTP_POST_READ_PHASE].handlers));
        auto* preflight = static_cast<ngx_http_handler_pt*>(
            ngx_array_push(&cmcf->phases[NGX_HTTP_PREACCESS_PHASE].handlers));
        auto* access = static_cast<ngx_http_handler_pt*>(
            ngx_array_push(&cmcf->phases[NGX_HTTP_ACCESS_PHASE].handlers));
        if (strip == nullptr || preflight == nullptr || access == nullptr ||
            init_cors_filter(cf) != NGX_OK) {
            return NGX_ERROR;
        }
        *strip = strip_identity_headers;
        *preflight = cors_preflight_handler;
        *access = access_handler;
        auto* mc = static_cast<MainConf*>(
            ngx_http_conf_get_module_main_conf(cf, ngx_http_twake_calendar_module));
        return build_runtime(cf, mc);
    } catch (const std::exception& e) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "twake_calendar: %s", e.what());
        return NGX_ERROR;
    }
}

constexpr ngx_uint_t kMain = NGX_HTTP_MAIN_CONF;
constexpr ngx_uint_t kAnyLevel = NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF;

ngx_command_t g_commands[] = {
    // Per location: whether and how requests are authenticated.
    {ngx_string("twake_calendar_auth"), kAnyLevel | NGX_CONF_TAKE1, ngx_conf_set_enum_slot,
     NGX_HTTP_LOC_CONF_OFFSET, offsetof(LocConf, auth), kAuthModes},
    // Serves the metrics in Prometheus text format.
    {ngx_string("twake_calendar_metrics"), NGX_HTTP_LOC_CONF | NGX_CONF_NOARGS, set_metrics_handler,
     NGX_HTTP_LOC_CONF_OFFSET, 0, nullptr},
    // Evicts a revoked session on the worker's call (deployments without Redis).
    {ngx_string("twake_calendar_revocation"), NGX_HTTP_LOC_CONF | NGX_CONF_NOARGS,
     set_revocation_handler, NGX_HTTP_LOC_CONF_OFFSET, 0, nullptr},
    // Origins whose scripts may call (CORS): off, * (the default) or a list.
    {ngx_string("twake_calendar_cors_origins"), kAnyLevel | NGX_CONF_1MORE, set_cors_origins,
     NGX_HTTP_LOC_CONF_OFFSET, 0, nullptr},
    // A 401 also offers Basic to clients that are not browser scripts (DAV locations).
    {ngx_string("twake_calendar_basic_challenge"), kAnyLevel | NGX_CONF_FLAG,
     ngx_conf_set_flag_slot, NGX_HTTP_LOC_CONF_OFFSET, offsetof(LocConf, basic_challenge), nullptr},
    // A label for logs ($twake_calendar_route): dav, worker, passthrough…
    {ngx_string("twake_calendar_route"), kAnyLevel | NGX_CONF_TAKE1, ngx_conf_set_str_slot,
     NGX_HTTP_LOC_CONF_OFFSET, offsetof(LocConf, route), nullptr},
    // The internal locations the module asks (routing stays in nginx.conf).
    {ngx_string("twake_calendar_introspection"), kAnyLevel | NGX_CONF_TAKE1, ngx_conf_set_str_slot,
     NGX_HTTP_LOC_CONF_OFFSET, offsetof(LocConf, introspection_uri), nullptr},
    {ngx_string("twake_calendar_userinfo"), kAnyLevel | NGX_CONF_TAKE1, ngx_conf_set_str_slot,
     NGX_HTTP_LOC_CONF_OFFSET, offsetof(LocConf, userinfo_uri), nullptr},
    {ngx_string("twake_calendar_provision"), kAnyLevel | NGX_CONF_TAKE1, ngx_conf_set_str_slot,
     NGX_HTTP_LOC_CONF_OFFSET, offsetof(LocConf, provision_uri), nullptr},
    {ngx_string("twake_calendar_basic_auth"), kAnyLevel | NGX_CONF_TAKE1, ngx_conf_set_str_slot,
     NGX_HTTP_LOC_CONF_OFFSET, offsetof(LocConf, basic_uri), nullptr},
    {ngx_string("twake_calendar_domain_check"), kAnyLevel | NGX_CONF_TAKE1, ngx_conf_set_str_slot,
     NGX_HTTP_LOC_CONF_OFFSET, offsetof(LocConf, domain_uri), nullptr},
    // Secret-link downloads: the location's requests are opened by their ?token=, which the
    // worker is asked about through this internal location.
    {ngx_string("twake_calendar_secret_link"), NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
     ngx_conf_set_str_slot, NGX_HTTP_LOC_CONF_OFFSET, offsetof(LocConf, secret_link_uri), nullptr},
    // WebSocket handshakes (`/ws`): opened by their ?ticket= only, which the worker consumes
    // through this internal location.
    {ngx_string("twake_calendar_ticket"), NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1, ngx_conf_set_str_slot,
     NGX_HTTP_LOC_CONF_OFFSET, offsetof(LocConf, ticket_uri), nullptr},
    // OIDC tokens.
    {ngx_string("twake_calendar_oidc_audience"), kMain | NGX_CONF_1MORE, set_audiences,
     NGX_HTTP_MAIN_CONF_OFFSET, 0, nullptr},
    {ngx_string("twake_calendar_oidc_claim"), kMain | NGX_CONF_TAKE1, ngx_conf_set_str_slot,
     NGX_HTTP_MAIN_CONF_OFFSET, offsetof(MainConf, claim), nullptr},
    // The shared-memory cache.
    {ngx_string("twake_calendar_cache_zone_size"), kMain | NGX_CONF_TAKE1, ngx_conf_set_size_slot,
     NGX_HTTP_MAIN_CONF_OFFSET, offsetof(MainConf, cache_size), nullptr},
    {ngx_string("twake_calendar_cache_ttl"), kMain | NGX_CONF_TAKE1, ngx_conf_set_msec_slot,
     NGX_HTTP_MAIN_CONF_OFFSET, offsetof(MainConf, cache_ttl), nullptr},
    {ngx_string("twake_calendar_shm_cache"), kMain | NGX_CONF_FLAG, ngx_conf_set_flag_slot,
     NGX_HTTP_MAIN_CONF_OFFSET, offsetof(MainConf, shm_cache), nullptr},
    // The second level, shared with the other edge nodes and the worker.
    {ngx_string("twake_calendar_redis"), kMain | NGX_CONF_TAKE1234, set_redis,
     NGX_HTTP_MAIN_CONF_OFFSET, 0, nullptr},
    {ngx_string("twake_calendar_negative_ttl"), kMain | NGX_CONF_TAKE1, ngx_conf_set_msec_slot,
     NGX_HTTP_MAIN_CONF_OFFSET, offsetof(MainConf, negative_ttl), nullptr},
    // Accounts.
    {ngx_string("twake_calendar_admin"), kMain | NGX_CONF_TAKE2,
     set_pair<&MainConf::admin_user, &MainConf::admin_password>, NGX_HTTP_MAIN_CONF_OFFSET, 0,
     nullptr},
    {ngx_string("twake_calendar_dav_admin"), kMain | NGX_CONF_TAKE2,
     set_pair<&MainConf::dav_user, &MainConf::dav_password>, NGX_HTTP_MAIN_CONF_OFFSET, 0, nullptr},
    // The worker's proof that a request comes from the edge (its API on TCP).
    {ngx_string("twake_calendar_edge_secret"), kMain | NGX_CONF_TAKE1, ngx_conf_set_str_slot,
     NGX_HTTP_MAIN_CONF_OFFSET, offsetof(MainConf, edge_secret), nullptr},
    // Legacy OpenPaaS JWTs.
    {ngx_string("twake_calendar_jwt_public_key"), kMain | NGX_CONF_TAKE1,
     ngx_conf_set_str_array_slot, NGX_HTTP_MAIN_CONF_OFFSET, offsetof(MainConf, jwt_public_keys),
     nullptr},
    {ngx_string("twake_calendar_jwt_private_key"), kMain | NGX_CONF_TAKE1, ngx_conf_set_str_slot,
     NGX_HTTP_MAIN_CONF_OFFSET, offsetof(MainConf, jwt_private_key), nullptr},
    {ngx_string("twake_calendar_jwt_validity"), kMain | NGX_CONF_TAKE1, ngx_conf_set_msec_slot,
     NGX_HTTP_MAIN_CONF_OFFSET, offsetof(MainConf, jwt_validity), nullptr},
    ngx_null_command,
};

ngx_http_module_t g_module_ctx = {
    preconfiguration,   // preconfiguration
    postconfiguration,  // postconfiguration
    create_main_conf,   // create main configuration
    init_main_conf,     // init main configuration
    nullptr,            // create server configuration
    nullptr,            // merge server configuration
    create_loc_conf,    // create location configuration
    merge_loc_conf,     // merge location configuration
};

}  // namespace

const char* level_name(CacheLevel l) {
    switch (l) {
        case CacheLevel::Shm:
            return "shm";
        case CacheLevel::Redis:
            return "redis";
        case CacheLevel::Idp:
            return "idp";
        case CacheLevel::None:
            return "";
    }
    return "";
}

MainConf* main_conf(ngx_http_request_t* r) {
    return static_cast<MainConf*>(ngx_http_get_module_main_conf(r, ngx_http_twake_calendar_module));
}

LocConf* loc_conf(ngx_http_request_t* r) {
    return static_cast<LocConf*>(ngx_http_get_module_loc_conf(r, ngx_http_twake_calendar_module));
}

ngx_int_t pool_str(ngx_pool_t* pool, std::string_view value, ngx_str_t* out) {
    out->len = value.size();
    out->data = static_cast<u_char*>(ngx_pnalloc(pool, value.size() + 1));
    if (out->data == nullptr) {
        return NGX_ERROR;
    }
    ngx_memcpy(out->data, value.data(), value.size());
    out->data[value.size()] = '\0';
    return NGX_OK;
}

}  // namespace twake::edge

extern "C" {

ngx_module_t ngx_http_twake_calendar_module = {
    NGX_MODULE_V1,
    &twake::edge::g_module_ctx,
    twake::edge::g_commands,
    NGX_HTTP_MODULE,
    nullptr,  // init master
    nullptr,  // init module
    twake::edge::init_edge_process,
    nullptr,  // init thread
    nullptr,  // exit thread
    twake::edge::exit_edge_process,
    nullptr,  // exit master
    NGX_MODULE_V1_PADDING,
};
}
