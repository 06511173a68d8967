#pragma once

// What the webadmin routes work with. Stores are blocking: routes reach them through the
// services of worker/services/, which run them with runtime::run_store_call.

#include <functional>
#include <string>

#include <optional>

#include "worker/config/worker_config.hpp"
#include "worker/dav/dav_client.hpp"
#include "worker/search/reindex_writer.hpp"
#include "worker/services/alarm_rows.hpp"
#include "worker/store/alarm_store.hpp"
#include "worker/store/resource_store.hpp"
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
    // The calendar tasks (reindexing, alarm rescheduling) read the DAV server and write the
    // events index and the alarm rows.
    dav::DavClient& dav;
    store::ResourceStore& resources;
    const search::ReindexWriter& events_index;
    store::AlarmStore& alarms;
    const services::AlarmRows& alarm_rows;
    // Told the sid of each back-channel logout, on the event loop: the real-time side closes
    // that session's sockets on every node (docs/reference/realtime.md).
    std::function<void(const std::string& sid)> session_revoked;
};

}  // namespace twake::webadmin
