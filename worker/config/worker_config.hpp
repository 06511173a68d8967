#pragma once

// The worker's configuration folder, read as upstream's files and key names
// (configuration.properties, rabbitmq.properties, redis.properties, opensearch.properties,
// webadmin.properties, healthcheck.properties, usersrepository.xml).

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "shared/log/log.hpp"
#include "worker/amqp/amqp_connection.hpp"
#include "worker/ldap/users_repository.hpp"
#include "worker/redis/redis_address.hpp"
#include "worker/search/opensearch_config.hpp"

namespace twake::config {

struct WebadminConfig {
    bool enabled = false;
    std::string host = "localhost";
    int port = 8080;
};

struct WorkerConfig {
    std::filesystem::path dir;
    std::string mongo_url;
    std::string mongo_database;
    amqp::AmqpAddress rabbitmq;
    search::OpenSearchConfig opensearch;
    std::optional<redis::RedisAddress> redis;
    std::optional<ldap::LdapConfig> ldap;
    WebadminConfig webadmin;
    std::chrono::milliseconds healthcheck_period{60000};
    log::Level log_level = log::Level::Info;
};

// Throws ConfigError naming the file and key at fault and the expected form.
WorkerConfig load_worker_config(const std::filesystem::path& dir);

}  // namespace twake::config
