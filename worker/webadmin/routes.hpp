#pragma once

// The webadmin route groups (docs/webadmin.md), one file each.

#include "worker/http/router.hpp"
#include "worker/webadmin/webadmin_context.hpp"

namespace twake::webadmin {

// GET /healthcheck, /healthcheck/checks, /healthcheck/checks/{name} (docs/operate.md §3.1).
void add_healthcheck_routes(http::Router& router, WebadminContext& ctx);
// GET /metrics (docs/operate.md §3.2).
void add_metrics_routes(http::Router& router, WebadminContext& ctx);
// /tasks (docs/webadmin.md §6).
void add_task_routes(http::Router& router, WebadminContext& ctx);
// /registeredUsers and /domains/{domain}/registeredUsers (§7, §7.1).
void add_registered_user_routes(http::Router& router, WebadminContext& ctx);
// /domains, /domains/{domain}/admins, /domains/{domain}/settings (§2.1, §2.2, §2.3).
void add_domain_routes(http::Router& router, WebadminContext& ctx);
// /users: credential users (§4).
void add_credential_user_routes(http::Router& router, WebadminContext& ctx);
// POST /add-revoked-token: OIDC back-channel logout (§5).
void add_revocation_routes(http::Router& router, WebadminContext& ctx);
// POST /calendars?task=…: the calendar tasks (§8).
void add_calendar_task_routes(http::Router& router, WebadminContext& ctx);
// /addressbook/domain-members: the domain-members address book tasks, with LDAP (§9).
void add_domain_member_routes(http::Router& router, WebadminContext& ctx);

}  // namespace twake::webadmin
