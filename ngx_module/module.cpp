// ngx_http_twake_calendar_module: the Twake Calendar edge inside nginx (docs/nginx-module.md).
//
// Configuration is plain structs filled by nginx's slot setters; every handler catches at its
// boundary, so no exception ever crosses back into nginx.

#include "ngx_module/ngx.hpp"

#include <exception>
#include <new>

#include "ngx_module/json_error.hpp"
#include "shared/version.hpp"

extern "C" {
extern ngx_module_t ngx_http_twake_calendar_module;
}

namespace {

using namespace twake;

struct LocationConf {
    ngx_flag_t auth = NGX_CONF_UNSET;
};

void* create_loc_conf(ngx_conf_t* cf) {
    void* mem = ngx_pcalloc(cf->pool, sizeof(LocationConf));
    if (mem == nullptr) {
        return nullptr;
    }
    return new (mem) LocationConf();
}

char* merge_loc_conf(ngx_conf_t*, void* parent, void* child) {
    auto* prev = static_cast<LocationConf*>(parent);
    auto* conf = static_cast<LocationConf*>(child);
    ngx_conf_merge_value(conf->auth, prev->auth, 0);
    return NGX_CONF_OK;
}

// Access phase. Authentication methods arrive with the edge-auth work; until then a location
// that asks for authentication fails closed: every request gets the 401 JSON answer.
ngx_int_t access_handler(ngx_http_request_t* r) {
    try {
        auto* conf = static_cast<LocationConf*>(
            ngx_http_get_module_loc_conf(r, ngx_http_twake_calendar_module));
        if (!conf->auth || r != r->main) {
            return NGX_DECLINED;
        }
        return edge::send_unauthorized(r, "No supported credentials");
    } catch (const std::exception& e) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0, "twake_calendar: %s", e.what());
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }
}

ngx_int_t version_variable(ngx_http_request_t*, ngx_http_variable_value_t* v, uintptr_t) {
    v->data = reinterpret_cast<u_char*>(const_cast<char*>(kVersion.data()));
    v->len = static_cast<unsigned>(kVersion.size());
    v->valid = 1;
    v->no_cacheable = 0;
    v->not_found = 0;
    return NGX_OK;
}

ngx_http_variable_t g_variables[] = {
    {ngx_string("twake_calendar_version"), nullptr, version_variable, 0, NGX_HTTP_VAR_NOCACHEABLE,
     0},
    ngx_http_null_variable,
};

ngx_int_t add_variables(ngx_conf_t* cf) {
    for (ngx_http_variable_t* v = g_variables; v->name.len; ++v) {
        ngx_http_variable_t* var = ngx_http_add_variable(cf, &v->name, v->flags);
        if (var == nullptr) {
            return NGX_ERROR;
        }
        var->get_handler = v->get_handler;
        var->data = v->data;
    }
    return NGX_OK;
}

ngx_int_t init(ngx_conf_t* cf) {
    auto* cmcf = static_cast<ngx_http_core_main_conf_t*>(
        ngx_http_conf_get_module_main_conf(cf, ngx_http_core_module));
    auto* h = static_cast<ngx_http_handler_pt*>(
        ngx_array_push(&cmcf->phases[NGX_HTTP_ACCESS_PHASE].handlers));
    if (h == nullptr) {
        return NGX_ERROR;
    }
    *h = access_handler;
    return NGX_OK;
}

ngx_command_t g_commands[] = {
    {ngx_string("twake_calendar_auth"),
     NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
     ngx_conf_set_flag_slot, NGX_HTTP_LOC_CONF_OFFSET, offsetof(LocationConf, auth), nullptr},
    ngx_null_command,
};

ngx_http_module_t g_module_ctx = {
    add_variables,    // preconfiguration
    init,             // postconfiguration
    nullptr,          // create main configuration
    nullptr,          // init main configuration
    nullptr,          // create server configuration
    nullptr,          // merge server configuration
    create_loc_conf,  // create location configuration
    merge_loc_conf,   // merge location configuration
};

}  // namespace

extern "C" {

ngx_module_t ngx_http_twake_calendar_module = {
    NGX_MODULE_V1,
    &g_module_ctx,
    g_commands,
    NGX_HTTP_MODULE,
    nullptr,  // init master
    nullptr,  // init module
    nullptr,  // init process
    nullptr,  // init thread
    nullptr,  // exit thread
    nullptr,  // exit process
    nullptr,  // exit master
    NGX_MODULE_V1_PADDING,
};
}
