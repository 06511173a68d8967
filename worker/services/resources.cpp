#include "worker/services/resources.hpp"

#include <set>

#include "shared/identity/address.hpp"
#include "worker/runtime/store_call.hpp"

namespace twake::services {

namespace {

// The stores a blocking lookup reads.
struct Sources {
    store::ResourceStore& resources;
    store::DomainStore& domains;
    store::UserStore& users;
    dav::DavClient& dav;
};

// Blocking: the sharees of the resource's calendar with read-write (3) or administration (5)
// rights, resolved to user documents (docs/reference/rest-api.md §10.1).
std::vector<ResourceAdministrator> administrators(const Sources& from, const store::Resource& r) {
    std::vector<ResourceAdministrator> out;
    auto sharees = from.dav.calendar_sharees(r.id, r.id, r.domain_id);
    if (!sharees) {
        return out;
    }
    std::set<std::string> seen;
    for (const auto& s : *sharees) {
        if (s.access != 3 && s.access != 5) {
            continue;
        }
        auto user = from.users.find_by_email(s.email);
        if (user && seen.insert(user->id).second) {
            out.push_back({user->id, s.access, user->email});
        }
    }
    return out;
}

// Blocking.
std::optional<ResourceView> load_resource(const Sources& from, const std::string& id) {
    auto resource = from.resources.find_by_id(id);
    if (!resource) {
        return std::nullopt;
    }
    auto domain = from.domains.find_by_id(resource->domain_id);
    if (!domain) {
        return std::nullopt;
    }
    return ResourceView{*resource, *domain, administrators(from, *resource)};
}

}  // namespace

std::optional<store::Resource> resource_of_address(store::DomainStore& domains,
                                                   store::ResourceStore& resources,
                                                   const std::string& address) {
    auto at = address.find('@');
    std::string local = address.substr(0, at);
    if (at == std::string::npos || local.size() != 24 ||
        local.find_first_not_of("0123456789abcdef") != std::string::npos) {
        return std::nullopt;
    }
    auto domain = domains.find_by_name(address.substr(at + 1));
    if (!domain) {
        return std::nullopt;
    }
    auto resource = resources.find_by_id(local);
    if (!resource || resource->domain_id != domain->id) {
        return std::nullopt;
    }
    return resource;
}

runtime::Awaitable<std::optional<ResourceView>> Resources::find(const std::string& id) const {
    auto load = [from = Sources{resources_, domains_, users_, dav_}, id] {
        return load_resource(from, id);
    };
    co_return co_await runtime::run_store_call(blocking_, load);
}

runtime::Awaitable<Entity> Resources::entity(const std::string& id) const {
    auto load = [from = Sources{resources_, domains_, users_, dav_},
                 &configurations = configurations_, id] {
        Entity found;
        if ((found.user = from.users.find_by_id(id))) {
            auto address = identity::parse_address(found.user->email);
            auto domain = address ? from.domains.find_by_name(address->domain) : std::nullopt;
            found.user_domain_id = domain ? domain->id : "";
            found.user_settings = configurations.read(found.user->id, found.user_domain_id);
        } else if (!(found.resource = load_resource(from, id))) {
            found.domain = from.domains.find_by_id(id);
        }
        return found;
    };
    co_return co_await runtime::run_store_call(blocking_, load);
}

}  // namespace twake::services
