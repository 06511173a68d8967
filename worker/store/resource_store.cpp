#include "worker/store/resource_store.hpp"

#include "worker/store/bson.hpp"

namespace twake::store {

std::optional<Resource> ResourceStore::find_by_id(std::string_view id) {
    auto oid = parse_oid(id);
    if (!oid) {
        return std::nullopt;
    }
    Collection c(pool_, "resources");
    Bson filter(BCON_NEW("_id", BCON_OID(&*oid)));
    auto doc = c.find_one(filter.get());
    if (!doc) {
        return std::nullopt;
    }
    const bson_t* d = doc->get();
    auto domain = get_oid(d, "domain");
    if (!domain) {
        return std::nullopt;  // not usable without its domain
    }
    Resource r;
    r.id = oid_hex(*oid);
    r.name = get_string(d, "name").value_or("");
    r.description = get_string(d, "description").value_or("");
    r.type = get_string(d, "type").value_or("resource");
    r.icon = get_string(d, "icon");
    r.deleted = get_bool(d, "deleted").value_or(false);
    r.creator = get_oid(d, "creator");
    r.domain_id = *domain;
    r.created = get_date(d, "timestamps.creation");
    r.updated = get_date(d, "timestamps.updatedAt");
    return r;
}

}  // namespace twake::store
