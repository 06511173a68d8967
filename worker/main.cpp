// twake-calendar-worker: the sidecar daemon next to the nginx edge (docs/operate.md).

// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <sys/random.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "shared/config/config_error.hpp"
#include "shared/log/log.hpp"
#include "shared/version.hpp"
#include "shared/jwt/key_location.hpp"
#include "shared/text/base64url.hpp"
#include "worker/alarms/alarm_scheduler.hpp"
#include "worker/amqp/consumer_metrics.hpp"
#include "worker/amqp/consumer_service.hpp"
#include "worker/amqp/event_alarm.hpp"
#include "worker/amqp/queue_health_checks.hpp"
#include "worker/amqp/rabbitmq_health_check.hpp"
#include "worker/amqp/itip_local_delivery.hpp"
#include "worker/amqp/notification_email.hpp"
#include "worker/amqp/push_bus.hpp"
#include "worker/amqp/push_notifications.hpp"
#include "worker/amqp/resource_booking.hpp"
#include "worker/amqp/event_indexing.hpp"
#include "worker/amqp/test_consumer.hpp"
#include "worker/api/rest_api.hpp"
#include "worker/store/alarm_leases.hpp"
#include "worker/store/alarm_store.hpp"
#include "worker/store/configuration_store.hpp"
#include "worker/store/domain_settings_store.hpp"
#include "worker/store/index_setup.hpp"
#include "worker/config/worker_config.hpp"
#include "worker/health/health_registry.hpp"
#include "worker/ldap/ldap_health_check.hpp"
#include "worker/metrics/metrics.hpp"
#include "worker/net/http_client.hpp"
#include "worker/realtime/dav_sync_tokens.hpp"
#include "worker/realtime/realtime_metrics.hpp"
#include "worker/realtime/realtime_service.hpp"
#include "worker/redis/redis_health_check.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/search/event_indexer.hpp"
#include "worker/search/events_index_setup.hpp"
#include "worker/search/indexing_metrics.hpp"
#include "worker/search/opensearch_client.hpp"
#include "worker/search/opensearch_health_check.hpp"
#include "worker/search/reindex_writer.hpp"
#include "worker/services/alarm_rows.hpp"
#include "worker/services/calendar_mailer.hpp"
#include "worker/store/mongo_health_check.hpp"
#include "worker/store/mongo_metrics.hpp"
#include "worker/store/mongo_pool.hpp"
#include "worker/store/store_error.hpp"
#include "worker/systemd/service_notifier.hpp"
#include "worker/webadmin/webadmin_api.hpp"
#include "worker/webadmin/webadmin_context.hpp"
#include "worker/tasks/task_manager.hpp"

namespace {

namespace asio = boost::asio;
using namespace twake;

const log::Logger kLog("worker.main");

// sysexits.h: EX_USAGE, EX_CONFIG, EX_SOFTWARE, EX_UNAVAILABLE.
constexpr int kExitUsage = 64;
constexpr int kExitConfig = 78;
constexpr int kExitSoftware = 70;
constexpr int kExitUnavailable = 69;

void usage(FILE* out) {
    std::fprintf(out,
                 "usage: twake-calendar-worker [--conf DIR]\n"
                 "  --conf DIR   configuration folder (default /etc/twake-calendar)\n"
                 "  --version    print the version and exit\n");
}

// Runs every check each `period` and logs the non-healthy ones (the registry logs them).
asio::awaitable<void> periodic_checks(health::HealthRegistry& registry, asio::steady_timer& timer,
                                      std::chrono::milliseconds period) {
    while (true) {
        timer.expires_after(period);
        boost::system::error_code ec;
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            co_return;
        }
        const auto& checks = registry.checks();
        co_await registry.run(checks);
    }
}

// Deletes what TTL indexes would delete, every minute, where the server has none.
asio::awaitable<void> purge_loop(store::MongoPool& mongo, runtime::BlockingPool& blocking,
                                 asio::steady_timer& timer,
                                 std::chrono::seconds upload_expiration) {
    while (true) {
        timer.expires_after(std::chrono::minutes(1));
        boost::system::error_code ec;
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            co_return;
        }
        auto* pool = &mongo;
        auto purge = [pool, upload_expiration] {
            return store::purge_expired(*pool, upload_expiration);
        };
        try {
            int64_t deleted = co_await blocking.run(purge, std::chrono::seconds(30));
            if (deleted > 0) {
                kLog.info("Expired documents purged", {{"count", std::to_string(deleted)}});
            }
        } catch (const std::exception& e) {
            kLog.warn("Purge of expired documents failed", {{"error", e.what()}});
        }
    }
}

// systemd's watchdog: pinged from the event loop, so a blocked loop gets the worker restarted.
asio::awaitable<void> keep_alive(const systemd::ServiceNotifier& notifier,
                                 asio::steady_timer& timer, std::chrono::microseconds period) {
    while (true) {
        notifier.watchdog();
        timer.expires_after(period);
        boost::system::error_code ec;
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            co_return;
        }
    }
}

std::string random_secret() {
    std::array<unsigned char, 32> bytes{};
    if (getrandom(bytes.data(), bytes.size(), 0) != static_cast<ssize_t>(bytes.size())) {
        throw std::runtime_error("getrandom failed");
    }
    return text::encode_base64url(
        std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

int run(const std::filesystem::path& conf_dir) {
    config::WorkerConfig cfg = config::load_worker_config(conf_dir);
    log::set_threshold(cfg.log_level);
    for (const auto& key : cfg.unknown_keys) {
        kLog.warn("Unknown configuration key ignored (a typo?)", {{"key", key}});
    }
    if (cfg.redis && !cfg.edge.revocation_urls.empty()) {
        kLog.warn(
            "edge.revocation.urls is ignored: with Redis, revocations reach the edges "
            "through its channel");
    }

    store::MongoDriver mongo_driver;
    net::CurlGlobal curl_global;
    asio::io_context io(1);
    runtime::BlockingPool blocking(io, 8);
    metrics::Metrics metrics;

    // Declared before the pool: the driver calls it until the pool is gone.
    store::MongoMetrics mongo_metrics(metrics.registry());
    store::MongoPool mongo(cfg.mongo_url, cfg.mongo_database);
    mongo_metrics.attach(mongo);
    store::IndexOutcome indexes = store::IndexSetup(mongo, cfg.upload_expiration).run();
    store::DomainStore domains(mongo);
    store::UserStore users(mongo, domains);
    users.set_uniqueness_in_code(indexes.unique_email_in_code);
    store::ConfigurationStore configurations(mongo);
    store::DomainSettingsStore domain_settings(mongo);
    for (const auto& name : cfg.domains) {
        if (domains.add(name)) {
            kLog.info("Domain created from the 'domains' key", {{"domain", name}});
        }
    }

    std::optional<ldap::LdapDirectory> directory;
    if (cfg.ldap) {
        directory.emplace(*cfg.ldap);
    }
    provisioning::UserProvisioning provisioning(users, directory ? &*directory : nullptr);

    std::optional<jwt::JwtSigner> login_signer;
    if (cfg.jwt_private_key) {
        login_signer.emplace(
            jwt::load_private_key(*cfg.jwt_private_key, cfg.dir.string(), "jwt.key.private"));
    } else {
        kLog.warn("jwt.key.private is not configured: POST /api/jwt/generate answers 503");
    }
    std::optional<jwt::JwtVerifier> link_verifier;
    if (!cfg.jwt_public_keys.empty()) {
        std::string locations;
        for (const auto& location : cfg.jwt_public_keys) {
            locations += (locations.empty() ? "" : ",") + location;
        }
        link_verifier.emplace(jwt::load_public_keys(locations, cfg.dir, "jwt.key.public"));
    } else {
        kLog.warn("jwt.key.public is not configured: the resource booking links answer 503");
    }
    std::string technical_secret = cfg.technical_token_secret.value_or("");
    if (technical_secret.empty()) {
        technical_secret = random_secret();
        kLog.warn(
            "jwt.technical.token.secret is not configured: a random secret is used, valid "
            "for this process only; set it when several workers serve one esn-sabre");
    }
    jwt::TechnicalTokenIssuer technical_tokens(technical_secret, cfg.technical_token_expiration);
    if (technical_tokens.weak_secret()) {
        kLog.warn("jwt.technical.token.secret is shorter than 32 bytes: use a longer random value");
    }
    avatar::LetterAvatar avatars{std::string(avatar::default_avatar_font)};
    store::ResourceStore resources(mongo);
    store::SecretLinkStore secret_links(mongo);
    store::TicketStore tickets(mongo);
    dav::DavClient dav_client(cfg.dav, technical_tokens);

    mail::MailMetrics mail_metrics(metrics.registry());
    std::optional<services::CalendarMailer> mailer;
    if (cfg.mail) {
        mailer.emplace(cfg, users, configurations, blocking, mail_metrics);
    } else {
        kLog.warn("smtp.host is not configured: no calendar mail is sent (docs/mail.md)");
    }

    health::HealthRegistry health(blocking, std::chrono::seconds(10));
    health.add(std::make_shared<store::MongoHealthCheck>(mongo));
    health.add(std::make_shared<amqp::RabbitMqHealthCheck>(cfg.rabbitmq));
    health.add(std::make_shared<search::OpenSearchHealthCheck>(cfg.opensearch));

    // The events index (docs/reference/search.md §3): a conflicting mapping stops the start.
    search::OpenSearchClient opensearch(cfg.opensearch, blocking);
    search::EventsIndexSetup events_index(opensearch, cfg.opensearch.events);
    try {
        events_index.run();
    } catch (const search::EventsIndexConflict& e) {
        throw config::ConfigError(e.what());
    } catch (const std::exception& e) {
        kLog.warn("The OpenSearch events index could not be checked at start; indexing tries again",
                  {{"error", e.what()}});
    }
    if (cfg.redis) {
        health.add(std::make_shared<redis::RedisHealthCheck>(*cfg.redis));
    }
    if (cfg.ldap) {
        health.add(std::make_shared<ldap::LdapHealthCheck>(*cfg.ldap));
    }

    // RabbitMQ consumers on their own thread; the topology is declared at every connection.
    store::SentMailLedger sent_mails(mongo);
    // Resource bookings (docs/reference/rabbitmq.md §3.6); declared first: outlives the consumers.
    services::ResourceBookings bookings(
        cfg, services::Resources(blocking, resources, domains, users, configurations, dav_client),
        services::ResourceParticipation(blocking, resources, domains, dav_client),
        mailer ? &*mailer : nullptr, login_signer ? &*login_signer : nullptr, sent_mails, blocking);
    // Event alarms (docs/reference/alarms.md §3); declared first: outlives the consumers.
    store::AlarmStore alarm_store(mongo);
    const services::AlarmRows alarm_rows(cfg, users, configurations, alarm_store, dav_client,
                                         mailer ? &*mailer : nullptr, blocking);
    // The WebSocket side (docs/reference/realtime.md): sockets, and the push bus between
    // nodes; declared before the consumers, which push to them.
    realtime::RealtimeMetrics realtime_metrics(metrics.registry());
    realtime::DavSyncTokens sync_tokens(dav_client, blocking, realtime_metrics);
    realtime::RealtimeService sockets(io, cfg.websocket, sync_tokens, realtime_metrics);
    amqp::PushBus push_bus(
        io, cfg.rabbitmq, realtime_metrics,
        [&sockets](const realtime::PushEvent& event) { sockets.deliver(event); });
    // A push made here reaches this node's sockets at once, the other nodes' through the bus.
    sockets.set_other_nodes(
        [&push_bus](const realtime::PushEvent& event) { push_bus.publish(event); });
    const amqp::PushSink push = [&sockets](const realtime::PushEvent& event) {
        sockets.push(event);
    };
    const amqp::CalendarListContext calendar_lists{users, resources, blocking, realtime_metrics,
                                                   push};
    // Event indexing (docs/reference/search.md §5); declared first: outlives the consumers.
    search::IndexingMetrics indexing_metrics(metrics.registry());
    search::EventIndexer event_indexer(io, blocking, opensearch, events_index,
                                       cfg.opensearch.events, indexing_metrics);
    amqp::ConsumerMetrics consumer_metrics(metrics.registry());
    amqp::ConsumerService consumers(io, cfg.rabbitmq, cfg.consumer_retry, consumer_metrics);
    consumers.add(amqp::itip_local_delivery_consumer(
        cfg.itip_prefetch, {users, domains, resources, dav_client, blocking}));
    consumers.add(amqp::notification_email_consumer(
        cfg.itip_prefetch, {.config = cfg,
                            .mailer = mailer ? &*mailer : nullptr,
                            .ledger = sent_mails,
                            .users = users,
                            .domains = domains,
                            .resources = resources,
                            .signer = login_signer ? &*login_signer : nullptr,
                            .metrics = mail_metrics,
                            .blocking = blocking}));
    for (auto& consumer : amqp::event_indexing_consumers(event_indexer)) {
        consumers.add(std::move(consumer));
    }
    consumers.add(amqp::resource_request_consumer(bookings));
    consumers.add(amqp::resource_answer_consumer(bookings, true));
    consumers.add(amqp::resource_answer_consumer(bookings, false));
    for (auto& consumer : amqp::event_alarm_consumers(alarm_rows)) {
        consumers.add(std::move(consumer));
    }
    if (cfg.websocket.redis_event_bus_keys) {
        kLog.info(
            "eventBus.redis.* keys ignored: pushes cross worker nodes through RabbitMQ "
            "(docs/reference/realtime.md §4)");
    }
    if (cfg.websocket.push_consumers) {
        for (auto& consumer : amqp::event_notification_consumers(push)) {
            consumers.add(std::move(consumer));
        }
        consumers.add(amqp::calendar_list_consumer(calendar_lists));
    } else {
        kLog.info("websocket.push.consumers.enabled is false: other nodes consume the pushes");
    }
    if (cfg.test_consumer) {
        kLog.warn("test.consumer.enabled: the framework's test consumer runs (tests only)");
        consumers.add(amqp::test_consumer());
    }
    health.add(std::make_shared<amqp::QueueConsumersHealthCheck>(consumers, consumer_metrics));
    health.add(std::make_shared<amqp::DeadLetterQueueHealthCheck>(consumers, consumer_metrics));
    consumers.start();
    health.add(std::make_shared<amqp::PushBusHealthCheck>(push_bus));
    push_bus.start();
    // The alarm scheduler (docs/reference/alarms.md §4): DISPLAY alarms reach the sockets
    // from the event loop.
    store::AlarmLeases alarm_leases(mongo);
    alarms::AlarmMetrics alarm_metrics(metrics.registry());
    alarms::AlarmScheduler alarm_scheduler(
        io, {.config = cfg.alarm_scheduler,
             .alarms = alarm_store,
             .leases = alarm_leases,
             .users = users,
             .rows = alarm_rows,
             .mailer = mailer ? &*mailer : nullptr,
             .display =
                 [&io, &sockets](const std::string& user, const realtime::DisplayAlarm& alarm) {
                     asio::post(io, [&sockets, user, alarm] { sockets.push_alarm(user, alarm); });
                 },
             .metrics = alarm_metrics,
             .blocking = blocking});
    alarm_scheduler.start();

    store::UploadStore uploads(mongo, cfg.upload_expiration);
    // Designated initializers: adding a member of the context is one line here.
    api::ApiContext api_context{
        .config = cfg,
        .blocking = blocking,
        .users = users,
        .domains = domains,
        .configurations = configurations,
        .provisioning = provisioning,
        .directory = directory ? &*directory : nullptr,
        .metrics = metrics,
        .avatars = avatars,
        .login_signer = login_signer ? &*login_signer : nullptr,
        .link_verifier = link_verifier ? &*link_verifier : nullptr,
        .technical_tokens = technical_tokens,
        .domain_settings = domain_settings,
        .resources = resources,
        .dav = dav_client,
        .secret_links = secret_links,
        .tickets = tickets,
        .opensearch = opensearch,
        .uploads = uploads,
        .mailer = mailer ? &*mailer : nullptr,
    };
    api::RestApi rest_api(io, api_context);
    rest_api.listen(cfg.edge);
    kLog.info("API listening", {{"address", rest_api.address()}});
    rest_api.serve_websockets(sockets);

    tasks::TaskManager task_manager(io, metrics);
    // The reindex task's writes (docs/reference/search.md §8).
    const search::ReindexWriter reindex_writer(opensearch, cfg.opensearch.events, indexing_metrics);
    webadmin::WebadminContext webadmin_context{
        .config = cfg,
        .blocking = blocking,
        .users = users,
        .domains = domains,
        .configurations = configurations,
        .health = health,
        .metrics = metrics,
        .directory = directory ? &*directory : nullptr,
        .domain_settings = domain_settings,
        .tasks = task_manager,
        .dav = dav_client,
        .resources = resources,
        .events_index = reindex_writer,
        .alarms = alarm_store,
        .alarm_rows = alarm_rows,
        .session_revoked = [&sockets](const std::string& sid) { sockets.revoke_session(sid); },
    };
    webadmin::WebadminApi webadmin(io, webadmin_context);
    if (cfg.webadmin.enabled) {
        webadmin.listen(cfg.webadmin);
        kLog.info("WebAdmin listening",
                  {{"host", cfg.webadmin.host}, {"port", std::to_string(webadmin.port())}});
    } else {
        kLog.warn("WebAdmin disabled (webadmin.properties: enabled is not true)");
    }

    asio::steady_timer health_timer(io);
    asio::co_spawn(io, periodic_checks(health, health_timer, cfg.healthcheck_period),
                   asio::detached);
    asio::steady_timer purge_timer(io);
    if (indexes.ttl_purge_needed) {
        asio::co_spawn(io, purge_loop(mongo, blocking, purge_timer, cfg.upload_expiration),
                       asio::detached);
    }

    systemd::ServiceNotifier notifier;
    asio::steady_timer watchdog_timer(io);
    if (auto period = notifier.watchdog_period()) {
        asio::co_spawn(io, keep_alive(notifier, watchdog_timer, *period), asio::detached);
    }
    asio::signal_set signals(io, SIGTERM, SIGINT);
    signals.async_wait([&](const boost::system::error_code& ec, int signal) {
        if (ec) {
            return;
        }
        kLog.info("Stopping", {{"signal", signal == SIGTERM ? "SIGTERM" : "SIGINT"}});
        notifier.stopping();
        rest_api.stop();
        webadmin.stop();
        task_manager.stop();  // cancels tasks, releases GET /tasks/{id}/await callers
        consumers.stop();     // unacknowledged messages go back to their queues
        sockets.stop();       // every socket closed 1001; clients reconnect elsewhere
        push_bus.stop();      // the broker deletes this node's queue
        // A row being fired keeps its lease until it expires.
        alarm_scheduler.stop();
        health_timer.cancel();
        purge_timer.cancel();
        watchdog_timer.cancel();
    });

    std::string status = "API on " + rest_api.address() + ", webadmin on port " +
                         (cfg.webadmin.enabled ? std::to_string(webadmin.port()) : "none");
    notifier.ready(status);
    kLog.info("Started",
              {{"version", std::string(kVersion)}, {"configuration", conf_dir.string()}});
    io.run();
    blocking.stop();
    kLog.info("Stopped");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::filesystem::path conf_dir = "/etc/twake-calendar";
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--conf") == 0 && i + 1 < argc) {
            conf_dir = argv[++i];
        } else if (std::strcmp(argv[i], "--version") == 0) {
            std::printf("twake-calendar-worker %s\n", std::string(kVersion).c_str());
            return 0;
        } else if (std::strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return kExitUsage;
        }
    }
    try {
        return run(conf_dir);
    } catch (const config::ConfigError& e) {
        kLog.error("Invalid configuration", {{"error", e.what()}});
        return kExitConfig;
    } catch (const store::StoreError& e) {
        // Collections and indexes are set up at start: without MongoDB there is no worker.
        kLog.error("MongoDB is unusable at start", {{"error", e.what()}});
        return kExitUnavailable;
    } catch (const std::exception& e) {
        kLog.error("Fatal error", {{"error", e.what()}});
        return kExitSoftware;
    }
}
