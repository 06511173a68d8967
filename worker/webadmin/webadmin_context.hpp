#pragma once

// What the webadmin routes work with. Stores are blocking: routes reach them through the
// services of worker/services/, which run them with runtime::run_store_call.

#include <optional>

#include "worker/config/worker_config.hpp"
#include "worker/health/health_registry.hpp"
#include "worker/ldap/ldap_directory.hpp"
#include "worker/metrics/metrics.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/store/configuration_store.hpp"
#include "worker/store/domain_settings_store.hpp"
#include "worker/store/domain_store.hpp"
#include "worker/store/user_store.hpp"
#include "worker/tasks/task_manager.hpp"

namespace twake::webadmin {

struct WebadminContext {
    const config::WorkerConfig& config;
    runtime::BlockingPool& blocking;
    store::UserStore& users;
    store::DomainStore& domains;
    store::ConfigurationStore& configurations;
    health::HealthRegistry& health;
    metrics::Metrics& metrics;
    ldap::LdapDirectory* directory;  // nullptr without LDAP
    store::DomainSettingsStore& domain_settings;
    tasks::TaskManager& tasks;  // long jobs started by routes (docs/webadmin.md §6)
};

}  // namespace twake::webadmin
