#pragma once

// The webadmin route groups (webadmin.md), one file each.

#include "worker/http/router.hpp"
#include "worker/webadmin/webadmin_context.hpp"

namespace twake::webadmin {

// GET /healthcheck, /healthcheck/checks, /healthcheck/checks/{name} (§1).
void add_healthcheck_routes(http::Router& router, WebadminContext& ctx);
// GET /metrics (§2).
void add_metrics_routes(http::Router& router, WebadminContext& ctx);
// /tasks (§3).
void add_task_routes(http::Router& router, WebadminContext& ctx);
// /registeredUsers and /domains/{domain}/registeredUsers (§4.3, §4.4).
void add_registered_user_routes(http::Router& router, WebadminContext& ctx);
// /domains, /domains/{domain}/admins, /domains/{domain}/settings (§4.1, §4.5, §4.6).
void add_domain_routes(http::Router& router, WebadminContext& ctx);
// /users: credential users (§4.2).
void add_credential_user_routes(http::Router& router, WebadminContext& ctx);
// POST /add-revoked-token: OIDC back-channel logout (§6).
void add_revocation_routes(http::Router& router, WebadminContext& ctx);

}  // namespace twake::webadmin
