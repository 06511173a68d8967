#include "worker/store/resource_store.hpp"

#include "shared/identity/address.hpp"
#include "worker/store/bson.hpp"
#include "worker/store/user_store.hpp"

namespace twake::store {

namespace {

constexpr const char* kCollection = "resources";

std::optional<Resource> read_resource(const bson_t* d) {
    auto id = get_oid(d, "_id");
    auto domain = get_oid(d, "domain");
    if (!id || !domain) {
        return std::nullopt;  // not usable without its domain
    }
    Resource r;
    r.id = *id;
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

std::string trimmed_lower(const std::string& text) {
    auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) {
        return "";
    }
    return identity::lower(text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1));
}

}  // namespace

std::optional<Resource> ResourceStore::find_by_id(std::string_view id) {
    auto oid = parse_oid(id);
    if (!oid) {
        return std::nullopt;
    }
    Collection c(pool_, kCollection);
    Bson filter(BCON_NEW("_id", BCON_OID(&*oid)));
    auto doc = c.find_one(filter.get());
    return doc ? read_resource(doc->get()) : std::nullopt;
}

std::vector<Resource> ResourceStore::search(const std::string& domain_id, const std::string& query,
                                            int limit) {
    auto oid = parse_oid(domain_id);
    if (!oid || limit <= 0) {
        return {};
    }
    // A substring match as upstream's, the user's text escaped; `deleted` absent (legacy
    // documents) counts as not deleted, as find_by_id reads it.
    std::string pattern = ".*" + escape_regex(trimmed_lower(query)) + ".*";
    Collection c(pool_, kCollection);
    Bson filter(BCON_NEW("domain", BCON_OID(&*oid), "deleted", "{", "$ne", BCON_BOOL(true), "}",
                         "name", BCON_REGEX(pattern.c_str(), "i")));
    Bson opts(BCON_NEW("limit", BCON_INT64(limit)));
    std::vector<Resource> out;
    for (const Bson& doc : c.find(filter.get(), opts.get())) {
        if (auto r = read_resource(doc.get())) {
            out.push_back(std::move(*r));
        }
    }
    return out;
}

std::vector<Resource> ResourceStore::list_all() {
    Collection c(pool_, kCollection);
    Bson filter;  // every document
    std::vector<Resource> out;
    for (const Bson& doc : c.find(filter.get(), nullptr)) {
        if (auto r = read_resource(doc.get())) {
            out.push_back(std::move(*r));
        }
    }
    return out;
}

}  // namespace twake::store
