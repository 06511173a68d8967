#pragma once

// The worker's configuration folder, read as upstream's files and key names
// (configuration.properties, rabbitmq.properties, redis.properties, opensearch.properties,
// webadmin.properties, healthcheck.properties, usersrepository.xml), plus the few keys the
// edge/worker split adds (docs/configuration.md).

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "worker/alarms/scheduler_config.hpp"
#include "shared/log/log.hpp"
#include "worker/amqp/amqp_connection.hpp"
#include "worker/amqp/retry_policy.hpp"
#include "worker/ldap/users_repository.hpp"
#include "worker/mail/mail_config.hpp"
#include "worker/realtime/realtime_limits.hpp"
#include "worker/redis/redis_address.hpp"
#include "worker/search/opensearch_config.hpp"

namespace twake::config {

struct WebadminConfig {
    bool enabled = false;
    std::string host = "localhost";
    int port = 8080;
    std::vector<std::string> passwords;           // full access
    std::vector<std::string> readonly_passwords;  // GET and HEAD
    std::vector<std::string> nodelete_passwords;  // every method but DELETE
    bool generate_password = true;
    // Where a generated password is written (mode 0600); never logged
    // (docs/reference/auth.md §7.1).
    std::filesystem::path generated_password_file = "/run/twake-calendar/webadmin.password";
    bool cors = false;
    std::string cors_origin = "*";
};

// The API listener nginx talks to (docs/reference/edge-worker.md §3).
struct EdgeListen {
    std::optional<std::filesystem::path> socket;  // unix socket, the default
    std::string host;                             // or TCP
    int port = 0;
    std::string secret;                // required on TCP and with revocation_urls
    std::optional<std::string> group;  // group given to the socket file (nginx's)
    // Without Redis, the edges' revocation endpoints (docs/reference/edge-worker.md §4.4), one per
    // edge node.
    std::vector<std::string> revocation_urls;
};

struct DavConfig {
    std::string url;
    std::string admin_user;
    std::string admin_password;
    std::chrono::milliseconds timeout{10000};
    bool trust_all_certificates = false;
};

struct UserDefaults {
    std::string language = "en";
    std::string timezone = "Europe/Paris";
    bool use_24h_format = true;
    std::string business_hours_start = "8:0";
    std::string business_hours_end = "19:0";
    std::vector<int> business_days{1, 2, 3, 4, 5};
};

struct WorkerConfig {
    std::filesystem::path dir;
    std::string mongo_url;
    std::string mongo_database;
    amqp::AmqpAddress rabbitmq;
    amqp::RetryPolicy consumer_retry;         // consumer.retry.max, consumer.retry.delay
    bool test_consumer = false;               // test.consumer.enabled (integration tests only)
    int itip_prefetch = 16;                   // itip.event.messages.prefetch.count
    realtime::RealtimeLimits websocket;       // websocket.* (docs/reference/realtime.md §5)
    alarms::SchedulerConfig alarm_scheduler;  // alarm.event.scheduler.*
    search::OpenSearchConfig opensearch;
    std::optional<redis::RedisAddress> redis;
    std::optional<ldap::LdapConfig> ldap;
    WebadminConfig webadmin;
    EdgeListen edge;
    DavConfig dav;
    // Present when smtp.host is set (docs/configuration.md §2.1).
    std::optional<mail::MailConfig> mail;
    std::chrono::milliseconds healthcheck_period{60000};
    log::Level log_level = log::Level::Info;

    std::string admin_username = "admin@open-paas.org";
    std::vector<std::string> domains;  // created at start when missing (no default)
    std::string self_url = "https://twcalendar.linagora.com";
    std::string spa_calendar_url = "https://e-calendrier.avocat.fr";
    std::string spa_contacts_url = "https://e-contacts.avocat.fr";
    std::string spa_excal_url;
    std::string visio_url = "https://jitsi.linagora.com";
    bool calendar_sharing = true;
    bool contacts_sharing = true;
    bool domain_contacts = true;
    UserDefaults user_defaults;
    std::vector<std::string> user_search_disabled_domains;
    std::vector<std::string> user_search_limited_domains;
    bool resource_search = true;
    std::string default_calendar_visibility = "private";
    bool calendar_visibility_setting = true;

    // Legacy OpenPaaS JWT keys (`file://`, `conf://` or paths) and lifetime.
    std::optional<std::string> jwt_private_key;
    std::vector<std::string> jwt_public_keys;
    std::chrono::milliseconds jwt_validity{12 * 3600 * 1000};
    // Technical tokens; absent: a random secret per start and one WARN
    // (docs/reference/auth.md §5.2).
    std::optional<std::string> technical_token_secret;
    std::chrono::seconds technical_token_expiration{3600};

    // websocket.ticket.ip.validation.enabled: a ticket opens a socket only from the address
    // that asked for it (docs/configuration.md §2.1).
    bool ticket_ip_validation = true;

    std::chrono::seconds upload_expiration{3600};
    int64_t upload_user_limit = 50LL * 1024 * 1024;
    // upload.max.file.size: the largest single upload the worker reads; at most 15 MiB since a
    // file is one MongoDB document (docs/reference/rest-api.md §17.1).
    int64_t upload_max_file_size = 15LL * 1024 * 1024;

    // Keys present in the files that no version of the service knows (warned about once).
    std::vector<std::string> unknown_keys;
};

// Throws ConfigError naming the file and key at fault and the expected form.
WorkerConfig load_worker_config(const std::filesystem::path& dir);

// Sizes: an integer and an optional unit (B, KiB, MiB, GiB, TiB, case-insensitive; KB, MB… as
// the binary ones, as upstream reads them). Throws ConfigError naming `key`.
int64_t parse_size(std::string_view text, std::string_view key);

}  // namespace twake::config
