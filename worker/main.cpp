// twake-calendar-worker: the sidecar daemon next to the nginx edge (docs/operate.md).

// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "shared/config/config_error.hpp"
#include "shared/log/log.hpp"
#include "shared/version.hpp"
#include "worker/amqp/rabbitmq_health_check.hpp"
#include "worker/config/worker_config.hpp"
#include "worker/health/health_registry.hpp"
#include "worker/ldap/ldap_health_check.hpp"
#include "worker/metrics/metrics.hpp"
#include "worker/net/http_client.hpp"
#include "worker/redis/redis_health_check.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/search/opensearch_health_check.hpp"
#include "worker/store/mongo_health_check.hpp"
#include "worker/store/mongo_pool.hpp"
#include "worker/systemd/service_notifier.hpp"
#include "worker/webadmin/webadmin_api.hpp"

namespace {

namespace asio = boost::asio;
using namespace twake;

const log::Logger kLog("worker.main");

// sysexits.h: EX_USAGE, EX_CONFIG, EX_SOFTWARE.
constexpr int kExitUsage = 64;
constexpr int kExitConfig = 78;
constexpr int kExitSoftware = 70;

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

int run(const std::filesystem::path& conf_dir) {
    config::WorkerConfig cfg = config::load_worker_config(conf_dir);
    log::set_threshold(cfg.log_level);

    store::MongoDriver mongo_driver;
    net::CurlGlobal curl_global;
    asio::io_context io(1);
    runtime::BlockingPool blocking(io, 8);

    store::MongoPool mongo(cfg.mongo_url, cfg.mongo_database);
    health::HealthRegistry health(blocking, std::chrono::seconds(10));
    health.add(std::make_shared<store::MongoHealthCheck>(mongo));
    health.add(std::make_shared<amqp::RabbitMqHealthCheck>(cfg.rabbitmq));
    health.add(std::make_shared<search::OpenSearchHealthCheck>(cfg.opensearch));
    if (cfg.redis) {
        health.add(std::make_shared<redis::RedisHealthCheck>(*cfg.redis));
    }
    if (cfg.ldap) {
        health.add(std::make_shared<ldap::LdapHealthCheck>(*cfg.ldap));
    }

    metrics::Metrics metrics;
    webadmin::WebadminApi webadmin(io, health, metrics);
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

    systemd::ServiceNotifier notifier;
    asio::signal_set signals(io, SIGTERM, SIGINT);
    signals.async_wait([&](const boost::system::error_code& ec, int signal) {
        if (ec) {
            return;
        }
        kLog.info("Stopping", {{"signal", signal == SIGTERM ? "SIGTERM" : "SIGINT"}});
        notifier.stopping();
        webadmin.stop();
        health_timer.cancel();
    });

    std::string status =
        "webadmin on port " + (cfg.webadmin.enabled ? std::to_string(webadmin.port()) : "none");
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
    } catch (const std::exception& e) {
        kLog.error("Fatal error", {{"error", e.what()}});
        return kExitSoftware;
    }
}
