// The module's variables: what it decided about the caller, for proxy_set_header and
// log_format, and the inputs of its own subrequests (their internal locations read them).

#include <chrono>
#include <cstring>

#include "ngx_module/module_state.hpp"
#include "shared/text/percent.hpp"
#include "shared/jwt/legacy_jwt.hpp"
#include "shared/text/base64url.hpp"
#include "shared/version.hpp"

namespace twake::edge {

namespace {

using Getter = std::string (*)(ngx_http_request_t* r, const RequestCtx* ctx);

ngx_int_t set_value(ngx_http_request_t* r, ngx_http_variable_value_t* v, std::string_view value) {
    ngx_str_t s;
    if (pool_str(r->pool, value, &s) != NGX_OK) {
        return NGX_ERROR;
    }
    v->data = s.data;
    v->len = static_cast<unsigned>(s.len);
    v->valid = 1;
    v->no_cacheable = 1;
    v->not_found = 0;
    return NGX_OK;
}

bool bearer_in_progress(const RequestCtx* ctx) {
    return ctx != nullptr && (ctx->credential.kind == CredentialKind::Bearer);
}

ngx_int_t get(ngx_http_request_t* r, ngx_http_variable_value_t* v, uintptr_t data) {
    try {
        auto getter = reinterpret_cast<Getter>(data);
        return set_value(r, v, getter(r, request_ctx(r)));
    } catch (const std::exception& e) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0, "twake_calendar variable: %s", e.what());
        return NGX_ERROR;
    }
}

std::string version(ngx_http_request_t*, const RequestCtx*) {
    return std::string(kVersion);
}

// The label of the location that answered (twake_calendar_route), for logs.
std::string route(ngx_http_request_t* r, const RequestCtx*) {
    return std::string(ngx::view(loc_conf(r)->route));
}

std::string user(ngx_http_request_t*, const RequestCtx* ctx) {
    return std::string(ctx != nullptr ? ctx->email : "");
}

std::string auth_method(ngx_http_request_t*, const RequestCtx* ctx) {
    return ctx != nullptr && ctx->authenticated
               ? std::string(contract::auth_method_name(ctx->method))
               : "";
}

std::string cache_level(ngx_http_request_t*, const RequestCtx* ctx) {
    return ctx != nullptr ? level_name(ctx->level) : "";
}

std::string sid(ngx_http_request_t*, const RequestCtx* ctx) {
    return std::string(ctx != nullptr ? ctx->sid : "");
}

std::string bearer(ngx_http_request_t*, const RequestCtx* ctx) {
    return bearer_in_progress(ctx) ? "Bearer " + std::string(ctx->credential.token) : "";
}

std::string introspection_body(ngx_http_request_t*, const RequestCtx* ctx) {
    return bearer_in_progress(ctx) ? "token=" + text::percent_encode(ctx->credential.token) : "";
}

// The names the identity provider gave, for the provisioning call (never cached).
std::string provisioned_name(const RequestCtx* ctx, std::optional<std::string> TokenInfo::*name) {
    if (ctx == nullptr || !ctx->oidc) {
        return "";
    }
    const auto& value = ctx->oidc->resolution().info.*name;
    return value ? text::percent_encode(*value) : "";
}

std::string given_name(ngx_http_request_t*, const RequestCtx* ctx) {
    return provisioned_name(ctx, &TokenInfo::given_name);
}

std::string family_name(ngx_http_request_t*, const RequestCtx* ctx) {
    return provisioned_name(ctx, &TokenInfo::family_name);
}

std::string edge_secret(ngx_http_request_t* r, const RequestCtx*) {
    return std::string(ngx::view(main_conf(r)->edge_secret));
}

// esn-sabre impersonation (docs/reference/auth.md §5.1): Basic base64("<dav admin>&<user>:<dav
// password>").
std::string dav_authorization(ngx_http_request_t* r, const RequestCtx* ctx) {
    MainConf* mc = main_conf(r);
    if (ctx == nullptr || !ctx->authenticated || ctx->email.empty() || mc->dav_user.len == 0) {
        return "";
    }
    std::string pair = std::string(ngx::view(mc->dav_user)) + "&" + std::string(ctx->email) + ":" +
                       std::string(ngx::view(mc->dav_password));
    return "Basic " + text::encode_base64(pair);
}

// WebDAV's Destination names a path under /dav/ for the client; esn-sabre wants it without
// the prefix (docs/reference/edge-worker.md §6).
std::string dav_destination(ngx_http_request_t* r, const RequestCtx*) {
    std::string value(request_header(r, "destination"));
    if (value.empty()) {
        return "";
    }
    size_t path = 0;
    if (size_t scheme = value.find("://"); scheme != std::string::npos) {
        path = value.find('/', scheme + 3);
        if (path == std::string::npos) {
            return value;
        }
    }
    if (value.compare(path, 5, "/dav/") == 0) {
        value.erase(path, 4);
    }
    return value;
}

// Passthrough to legacy OpenPaaS (docs/reference/edge-worker.md §7): a freshly signed login JWT for
// an authenticated caller, nothing for an anonymous one.
std::string openpaas_authorization(ngx_http_request_t* r, const RequestCtx* ctx) {
    MainConf* mc = main_conf(r);
    if (ctx == nullptr || !ctx->authenticated || ctx->email.empty() || mc->runtime == nullptr ||
        !mc->runtime->legacy_signer) {
        return "";
    }
    auto validity = std::chrono::milliseconds(mc->jwt_validity);
    return "Bearer " + mc->runtime->legacy_signer->sign(jwt::login_claims(
                           ctx->email, std::chrono::system_clock::now(), validity));
}

// Secret links: the download's token for the worker's check, and the path to export.
std::string link_token(ngx_http_request_t*, const RequestCtx* ctx) {
    return ctx != nullptr ? ctx->link_token : "";
}

// WebSocket tickets: the presented ticket for the worker's check (only ever a UUID).
std::string ticket(ngx_http_request_t*, const RequestCtx* ctx) {
    return ctx != nullptr ? ctx->ticket_value : "";
}

std::string export_path(ngx_http_request_t*, const RequestCtx* ctx) {
    return std::string(ctx != nullptr ? ctx->export_path : "");
}

struct VariableSpec {
    const char* name;
    Getter getter;
};

constexpr VariableSpec kVariables[] = {
    {"twake_calendar_version", version},
    {"twake_calendar_user", user},
    {"twake_calendar_route", route},
    {"twake_calendar_edge_secret", edge_secret},
    {"twake_calendar_auth_method", auth_method},
    {"twake_calendar_cache", cache_level},
    {"twake_calendar_sid", sid},
    {"twake_calendar_bearer", bearer},
    {"twake_calendar_introspection_body", introspection_body},
    {"twake_calendar_given_name", given_name},
    {"twake_calendar_family_name", family_name},
    {"twake_calendar_dav_authorization", dav_authorization},
    {"twake_calendar_dav_destination", dav_destination},
    {"twake_calendar_openpaas_authorization", openpaas_authorization},
    {"twake_calendar_link_token", link_token},
    {"twake_calendar_export_path", export_path},
    {"twake_calendar_ticket", ticket},
};

}  // namespace

ngx_int_t add_variables(ngx_conf_t* cf) {
    for (const VariableSpec& spec : kVariables) {
        ngx_str_t name{std::strlen(spec.name),
                       reinterpret_cast<u_char*>(const_cast<char*>(spec.name))};
        ngx_http_variable_t* v = ngx_http_add_variable(cf, &name, NGX_HTTP_VAR_NOCACHEABLE);
        if (v == nullptr) {
            return NGX_ERROR;
        }
        v->get_handler = get;
        v->data = reinterpret_cast<uintptr_t>(spec.getter);
    }
    return NGX_OK;
}

}  // namespace twake::edge
