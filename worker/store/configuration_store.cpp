#include "worker/store/configuration_store.hpp"

#include "shared/log/log.hpp"
#include "worker/store/bson.hpp"

namespace twake::store {

namespace {

constexpr const char* kCollection = "configurations";
const log::Logger kLog("worker.store.configurations");

Bson owner_filter(const bson_oid_t& user, const bson_oid_t& domain) {
    return Bson(BCON_NEW("domain_id", BCON_OID(&domain), "user_id", BCON_OID(&user)));
}

}  // namespace

json::Json ConfigurationStore::read(const std::string& user_id, const std::string& domain_id) {
    json::Json modules = json::Json::array();
    auto user = parse_oid(user_id);
    auto domain = parse_oid(domain_id);
    if (!user || !domain) {
        return modules;
    }
    Collection c(pool_, kCollection);
    Bson filter = owner_filter(*user, *domain);
    auto doc = c.find_one(filter.get());
    if (!doc) {
        return modules;
    }
    bson_iter_t it;
    if (!bson_iter_init_find(&it, doc->get(), "modules") || !BSON_ITER_HOLDS_ARRAY(&it)) {
        return modules;
    }
    json::Json stored = to_json(&it);
    // Keep only well-formed modules and entries: one bad legacy entry must not hide the rest.
    for (cJSON* m = stored.get()->child; m != nullptr; m = m->next) {
        auto name = json::string_member(m, "name");
        cJSON* entries = cJSON_GetObjectItemCaseSensitive(m, "configurations");
        if (!name || !cJSON_IsArray(entries)) {
            kLog.warn("Skipping a malformed stored settings module", {{"userId", user_id}});
            continue;
        }
        json::Json kept = json::Json::array();
        for (cJSON* e = entries->child; e != nullptr; e = e->next) {
            auto key = json::string_member(e, "name");
            cJSON* value = cJSON_GetObjectItemCaseSensitive(e, "value");
            if (!key || value == nullptr) {
                kLog.warn("Skipping a malformed stored setting",
                          {{"userId", user_id}, {"module", *name}});
                continue;
            }
            json::Json entry = json::Json::object();
            entry.set("name", *key);
            entry.set("value", json::Json::copy_of(value));
            kept.push(std::move(entry));
        }
        json::Json module = json::Json::object();
        module.set("name", *name);
        module.set("configurations", std::move(kept));
        modules.push(std::move(module));
    }
    return modules;
}

void ConfigurationStore::persist(const std::string& user_id, const std::string& domain_id,
                                 const cJSON* modules) {
    auto user = parse_oid(user_id);
    auto domain = parse_oid(domain_id);
    if (!user || !domain) {
        throw std::invalid_argument("invalid user or domain id");
    }
    Bson set;
    bson_t fields;
    BSON_APPEND_DOCUMENT_BEGIN(set.get(), "$set", &fields);
    append_json(&fields, "modules", modules);
    bson_append_document_end(set.get(), &fields);
    Bson filter = owner_filter(*user, *domain);
    Bson opts(BCON_NEW("upsert", BCON_BOOL(true)));
    Collection c(pool_, kCollection);
    c.update_one(filter.get(), set.get(), opts.get());
}

}  // namespace twake::store
