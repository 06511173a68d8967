#pragma once

// Resources and entities (docs/reference/rest-api.md §10): a resource with its domain and its
// administrators (esn-sabre's sharees of its calendar), and an id of unknown kind looked up as
// a user, then a resource, then a domain. Each call on the blocking pool under the storage
// deadline; an unreachable esn-sabre throws dav::DavError.

#include <optional>
#include <string>
#include <vector>

#include "shared/json/json.hpp"
#include "worker/dav/dav_client.hpp"
#include "worker/runtime/awaitable.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/store/configuration_store.hpp"
#include "worker/store/domain_store.hpp"
#include "worker/store/resource_store.hpp"
#include "worker/store/user_store.hpp"

namespace twake::services {

struct ResourceAdministrator {
    std::string user_id;
    int access;  // sabre's level: 3 read-write, 5 administration
    std::string email;
};

struct ResourceView {
    store::Resource resource;
    store::Domain domain;
    std::vector<ResourceAdministrator> administrators;
};

// What an id names; at most one of user, resource and domain is set.
struct Entity {
    std::optional<store::User> user;
    std::string user_domain_id;  // of the domain named by the user's address; empty if none
    json::Json user_settings;
    std::optional<ResourceView> resource;
    std::optional<store::Domain> domain;
};

// The resource a calendar address names: its local part is the id of a resource (24 hex digits)
// of the domain its domain part names (docs/reference/rabbitmq.md §3.3), deleted or not;
// nullopt for any other address. Blocking.
std::optional<store::Resource> resource_of_address(store::DomainStore& domains,
                                                   store::ResourceStore& resources,
                                                   const std::string& address);

class Resources {
  public:
    Resources(runtime::BlockingPool& blocking, store::ResourceStore& resources,
              store::DomainStore& domains, store::UserStore& users,
              store::ConfigurationStore& configurations, dav::DavClient& dav)
        : blocking_(blocking),
          resources_(resources),
          domains_(domains),
          users_(users),
          configurations_(configurations),
          dav_(dav) {}

    // Nullopt when there is no such resource or its domain is gone.
    runtime::Awaitable<std::optional<ResourceView>> find(const std::string& id) const;
    runtime::Awaitable<Entity> entity(const std::string& id) const;

  private:
    runtime::BlockingPool& blocking_;
    store::ResourceStore& resources_;
    store::DomainStore& domains_;
    store::UserStore& users_;
    store::ConfigurationStore& configurations_;
    dav::DavClient& dav_;
};

}  // namespace twake::services
