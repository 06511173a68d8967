#include "worker/config/worker_config.hpp"

#include <charconv>
#include <fstream>
#include <sstream>

#include "shared/config/duration.hpp"
#include "shared/config/properties.hpp"

namespace twake::config {

namespace {

std::string required(const Properties& p, const std::string& key) {
    auto v = p.get(key);
    if (!v || v->empty()) {
        throw ConfigError(p.origin() + ": '" + key + "' is mandatory");
    }
    return *v;
}

bool boolean(const Properties& p, const std::string& key, bool fallback) {
    auto v = p.get(key);
    if (!v) {
        return fallback;
    }
    if (*v == "true") {
        return true;
    }
    if (*v == "false") {
        return false;
    }
    throw ConfigError(p.origin() + ": '" + key + "' = '" + *v + "': expected true or false");
}

int port(const Properties& p, const std::string& key, int fallback) {
    auto v = p.get(key);
    if (!v) {
        return fallback;
    }
    int n = -1;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc() || end != v->data() + v->size() || n < 0 || n > 65535) {
        throw ConfigError(p.origin() + ": '" + key + "' = '" + *v +
                          "': expected a port number between 0 and 65535");
    }
    return n;
}

std::optional<Properties> optional_file(const std::filesystem::path& file) {
    if (!std::filesystem::exists(file)) {
        return std::nullopt;
    }
    return Properties::load(file);
}

Properties required_file(const std::filesystem::path& file) {
    if (!std::filesystem::exists(file)) {
        throw ConfigError("missing configuration file " + file.string());
    }
    return Properties::load(file);
}

}  // namespace

WorkerConfig load_worker_config(const std::filesystem::path& dir) {
    if (!std::filesystem::is_directory(dir)) {
        throw ConfigError("configuration folder " + dir.string() + " does not exist");
    }
    WorkerConfig c;
    c.dir = dir;

    Properties main = required_file(dir / "configuration.properties");
    // MongoDB is mandatory here (no in-memory fallback): esn-sabre needs the users in it.
    c.mongo_url = required(main, "mongo.url");
    c.mongo_database = required(main, "mongo.database");
    if (auto level = main.get("log.level")) {
        if (!log::parse_level(*level, c.log_level)) {
            throw ConfigError(main.origin() + ": 'log.level' = '" + *level +
                              "': expected ERROR, WARN, INFO, DEBUG or TRACE");
        }
    }

    Properties rabbit = required_file(dir / "rabbitmq.properties");
    c.rabbitmq = amqp::parse_amqp_uri(required(rabbit, "uri"), "rabbitmq.properties: uri");

    c.opensearch = search::read_opensearch_config(required_file(dir / "opensearch.properties"));

    if (auto redis = optional_file(dir / "redis.properties")) {
        std::string topology = redis->get_or("redis.topology", "standalone");
        if (topology != "standalone") {
            throw ConfigError("redis.properties: 'redis.topology' = '" + topology +
                              "' is not supported yet; use standalone");
        }
        std::vector<std::string> urls = redis->list("redisURL");
        if (urls.empty()) {
            throw ConfigError("redis.properties: 'redisURL' is mandatory");
        }
        c.redis = redis::parse_redis_url(urls.front(), "redis.properties: redisURL");
    }

    std::filesystem::path ldap_file = dir / "usersrepository.xml";
    if (std::filesystem::exists(ldap_file)) {
        std::ifstream in(ldap_file, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        c.ldap = ldap::read_users_repository(text.str(), "usersrepository.xml");
    }

    if (auto web = optional_file(dir / "webadmin.properties")) {
        c.webadmin.enabled = boolean(*web, "enabled", false);
        c.webadmin.host = web->get_or("host", "localhost");
        c.webadmin.port = port(*web, "port", 8080);
    }

    if (auto hc = optional_file(dir / "healthcheck.properties")) {
        if (auto period = hc->get("healthcheck.period")) {
            c.healthcheck_period = parse_duration(*period, DurationUnit::Milliseconds,
                                                  "healthcheck.properties: healthcheck.period");
            if (c.healthcheck_period < std::chrono::seconds(10)) {
                throw ConfigError(
                    "healthcheck.properties: 'healthcheck.period' must be at least 10s");
            }
        }
    }
    return c;
}

}  // namespace twake::config
