#pragma once

// What the REST API's routes work with. Stores are blocking: routes reach them through the
// services of worker/services/, which run them with runtime::run_store_call.

#include "shared/jwt/jwt_signer.hpp"
#include "shared/jwt/jwt_verifier.hpp"
#include "shared/jwt/technical_token.hpp"
#include "worker/avatar/letter_avatar.hpp"
#include "worker/config/worker_config.hpp"
#include "worker/dav/dav_client.hpp"
#include "worker/store/resource_store.hpp"
#include "worker/store/secret_link_store.hpp"
#include "worker/store/ticket_store.hpp"
#include "worker/ldap/ldap_directory.hpp"
#include "worker/metrics/metrics.hpp"
#include "worker/provisioning/user_provisioning.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/store/configuration_store.hpp"
#include "worker/store/domain_settings_store.hpp"
#include "worker/store/domain_store.hpp"
#include "worker/search/opensearch_client.hpp"
#include "worker/store/user_store.hpp"
#include "worker/store/upload_store.hpp"
#include "worker/services/calendar_mailer.hpp"

namespace twake::api {

struct ApiContext {
    const config::WorkerConfig& config;
    runtime::BlockingPool& blocking;
    store::UserStore& users;
    store::DomainStore& domains;
    store::ConfigurationStore& configurations;
    provisioning::UserProvisioning& provisioning;
    ldap::LdapDirectory* directory;  // nullptr without LDAP
    metrics::Metrics& metrics;
    avatar::LetterAvatar& avatars;
    const jwt::JwtSigner* login_signer;  // nullptr when jwt.key.private is not configured
    // Emailed links' tokens (docs/reference/auth.md §6); nullptr without jwt.key.public.
    const jwt::JwtVerifier* link_verifier;
    const jwt::TechnicalTokenIssuer& technical_tokens;
    store::DomainSettingsStore& domain_settings;
    store::ResourceStore& resources;
    dav::DavClient& dav;
    store::SecretLinkStore& secret_links;
    store::TicketStore& tickets;             // WebSocket tickets
    search::OpenSearchClient& opensearch;    // event and people search
    store::UploadStore& uploads;             // POST /api/files, the imports
    const services::CalendarMailer* mailer;  // import reports; nullptr without smtp.host
};

}  // namespace twake::api
