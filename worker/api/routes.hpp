#pragma once

// The REST API's route groups (docs/reference/rest-api.md), one file each.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "worker/api/api_context.hpp"
#include "worker/http/router.hpp"

namespace twake::api {

// /internal/*: the calls the edge makes (docs/reference/edge-worker.md §2).
void add_internal_routes(http::Router& router, ApiContext& ctx);
// /api/user, /api/users, /api/users/{id}, avatars redirect, /api/user/profile.
void add_user_routes(http::Router& router, ApiContext& ctx);
// /api/domains/{id}, /api/themes/{id}[/logo].
void add_domain_routes(http::Router& router, ApiContext& ctx);
// /api/configurations (POST, PUT, PATCH).
void add_configuration_routes(http::Router& router, ApiContext& ctx);
// GET /api/domain/settings.
void add_domain_settings_routes(http::Router& router, ApiContext& ctx);
// GET /api/resources/{id} (and its legacy alias), GET /api/entity/{id}.
void add_resource_routes(http::Router& router, ApiContext& ctx);
// The public GET /calendar/api/resources/{resourceId}/{eventPathId}/participation.
void add_resource_participation_routes(http::Router& router, ApiContext& ctx);
// The public GET /calendar/api/calendars/event/participation (invitation mails' links).
void add_event_participation_routes(http::Router& router, ApiContext& ctx);
// POST /api/jwt/generate and the public GET /api/technicalToken/introspect.
void add_token_routes(http::Router& router, ApiContext& ctx);
// GET /calendar/api/calendars/{home}/{calendar}/secret-link and the edge's internal
// /internal/secret-link/{home}/{calendar} (the download itself is the edge's).
void add_secret_link_routes(http::Router& router, ApiContext& ctx);
// POST /ws/ticket, DELETE /ws/ticket/{value} (and ?ticket=), and the edge's internal
// /internal/ticket that consumes a ticket at the `/ws` handshake.
void add_ticket_routes(http::Router& router, ApiContext& ctx);
// POST /calendar/api/events/search.
void add_event_search_routes(http::Router& router, ApiContext& ctx);
// POST /api/people/search.
void add_people_search_routes(http::Router& router, ApiContext& ctx);
// Public assets: /api/avatars, /images/icon/{icon}.svg (and the legacy alias).
void add_asset_routes(http::Router& router, ApiContext& ctx);
// POST /api/files, POST /api/import (and its legacy alias).
void add_import_routes(http::Router& router, ApiContext& ctx);
// The body limit of a request to `target` when it is an upload (POST /api/files): the largest
// file plus a multipart envelope; nullopt for every other route.
std::optional<size_t> upload_body_limit(std::string_view target, int64_t max_file_size);

}  // namespace twake::api
