#include "worker/store/index_setup.hpp"

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "shared/log/log.hpp"
#include "worker/store/bson.hpp"
#include "worker/store/store_error.hpp"

namespace twake::store {

namespace {

const log::Logger kLog("worker.store.indexes");

enum class Option { None, Unique, PartialUniqueEmail, Ttl, IgnoreErrors };

struct IndexSpec {
    const char* collection;
    const char* name;  // nullptr: MongoDB's default name
    std::vector<std::pair<const char*, int>> keys;
    Option option = Option::None;
    int64_t ttl_seconds = 0;
};

// Collections upstream creates explicitly when missing; the others come with their indexes.
const char* const kCollections[] = {
    "users",        "domains",       "secretlinks",     "twake_calendar_alarm_events_ledge",
    "auth_tickets", "booking_links", "domain_settings", "team_calendars"};

std::vector<IndexSpec> index_specs(int64_t upload_ttl) {
    return {
        {"users", nullptr, {{"email", 1}}, Option::PartialUniqueEmail},
        {"users", nullptr, {{"firstname", 1}}},
        {"users", nullptr, {{"lastname", 1}}},
        {"users", nullptr, {{"firstnames", 1}}},
        // An OpenPaaS database usually has a unique index on this key already: the request
        // then conflicts, which is expected and ignored (docs/reference/mongodb.md §3).
        {"users", nullptr, {{"accounts.emails", 1}}, Option::IgnoreErrors},
        {"users", nullptr, {{"domains.domain_id", 1}}},
        {"domains", nullptr, {{"name", 1}}, Option::Unique},
        {"secretlinks",
         nullptr,
         {{"user_id", 1}, {"calendarHomeId", 1}, {"calendarId", 1}},
         Option::Unique},
        {"secretlinks",
         nullptr,
         {{"token", 1}, {"calendarHomeId", 1}, {"calendarId", 1}},
         Option::Unique},
        {"twake_calendar_uploaded_files", nullptr, {{"created", 1}}, Option::Ttl, upload_ttl},
        {"twake_calendar_uploaded_files", nullptr, {{"username", 1}}},
        {"twake_calendar_alarm_events",
         nullptr,
         {{"eventUid", 1}, {"recipient", 1}},
         Option::Unique},
        {"twake_calendar_alarm_events", nullptr, {{"alarmTime", 1}}},
        {"twake_calendar_alarm_events_ledge",
         "uniq_event_alarm_recipient",
         {{"eventUid", 1}, {"recipient", 1}, {"alarmTime", 1}},
         Option::Unique},
        {"twake_calendar_alarm_events_ledge", "ttl_expiresAt", {{"expiresAt", 1}}, Option::Ttl, 0},
        {"domain_settings", nullptr, {{"domain", 1}}, Option::Unique},
        {"resources", nullptr, {{"domain", 1}}},
        {"resources", nullptr, {{"name", 1}}},
        {"resources", nullptr, {{"deleted", 1}}},
        {"team_calendars", nullptr, {{"domainId", 1}}},
        {"team_calendars", nullptr, {{"domainId", 1}, {"name", 1}}},
        {"booking_links", nullptr, {{"username", 1}, {"publicId", 1}}, Option::Unique},
        {"booking_links", nullptr, {{"publicId", 1}}},
        {"booking_links", nullptr, {{"username", 1}, {"updatedAt", -1}}},
        {"auth_tickets", "auth_tickets_ttl_validUntil", {{"validUntil", 1}}, Option::Ttl, 0},
        {"twake_calendar_sent_mails", "ttl_expiresAt", {{"expiresAt", 1}}, Option::Ttl, 0},
    };
}

std::string default_name(const IndexSpec& spec) {
    if (spec.name != nullptr) {
        return spec.name;
    }
    std::string name;
    for (const auto& [key, direction] : spec.keys) {
        name += (name.empty() ? "" : "_") + std::string(key) + "_" + std::to_string(direction);
    }
    return name;
}

std::string describe(const IndexSpec& spec) {
    std::string keys;
    for (const auto& [key, direction] : spec.keys) {
        keys += (keys.empty() ? "" : ", ") + std::string(key);
    }
    return std::string(spec.collection) + " {" + keys + "}";
}

// `createIndexes` with one index; the options decide unique / partial / TTL.
void create_index(mongoc_client_t* client, const std::string& database, const IndexSpec& spec,
                  bool unique, bool partial, std::optional<int64_t> ttl) {
    Bson command;
    BSON_APPEND_UTF8(command.get(), "createIndexes", spec.collection);
    bson_t indexes;
    bson_t index;
    bson_t keys;
    BSON_APPEND_ARRAY_BEGIN(command.get(), "indexes", &indexes);
    BSON_APPEND_DOCUMENT_BEGIN(&indexes, "0", &index);
    BSON_APPEND_DOCUMENT_BEGIN(&index, "key", &keys);
    for (const auto& [key, direction] : spec.keys) {
        BSON_APPEND_INT32(&keys, key, direction);
    }
    bson_append_document_end(&index, &keys);
    std::string name = default_name(spec);
    BSON_APPEND_UTF8(&index, "name", name.c_str());
    if (unique) {
        BSON_APPEND_BOOL(&index, "unique", true);
    }
    if (partial) {
        bson_t filter;
        BSON_APPEND_DOCUMENT_BEGIN(&index, "partialFilterExpression", &filter);
        bson_t exists;
        BSON_APPEND_DOCUMENT_BEGIN(&filter, "email", &exists);
        BSON_APPEND_BOOL(&exists, "$exists", true);
        bson_append_document_end(&filter, &exists);
        bson_append_document_end(&index, &filter);
    }
    if (ttl) {
        BSON_APPEND_INT64(&index, "expireAfterSeconds", *ttl);
    }
    bson_append_document_end(&indexes, &index);
    bson_append_array_end(command.get(), &indexes);

    bson_t reply;
    bson_error_t error;
    bool ok = mongoc_client_write_command_with_opts(client, database.c_str(), command.get(),
                                                    nullptr, &reply, &error);
    bson_destroy(&reply);
    if (!ok) {
        throw store_error(error, "create index " + describe(spec));
    }
}

void change_ttl(mongoc_client_t* client, const std::string& database, const IndexSpec& spec) {
    Bson command;
    BSON_APPEND_UTF8(command.get(), "collMod", spec.collection);
    bson_t index;
    bson_t keys;
    BSON_APPEND_DOCUMENT_BEGIN(command.get(), "index", &index);
    BSON_APPEND_DOCUMENT_BEGIN(&index, "keyPattern", &keys);
    for (const auto& [key, direction] : spec.keys) {
        BSON_APPEND_INT32(&keys, key, direction);
    }
    bson_append_document_end(&index, &keys);
    BSON_APPEND_INT64(&index, "expireAfterSeconds", spec.ttl_seconds);
    bson_append_document_end(command.get(), &index);
    bson_t reply;
    bson_error_t error;
    bool ok = mongoc_client_write_command_with_opts(client, database.c_str(), command.get(),
                                                    nullptr, &reply, &error);
    bson_destroy(&reply);
    if (!ok) {
        throw store_error(error, "change the TTL of " + describe(spec));
    }
}

bool options_conflict(const StoreError& e) {
    return e.code() == 85 || e.code() == 86;
}

}  // namespace

IndexOutcome IndexSetup::run() {
    IndexOutcome outcome;
    MongoPool::Lease lease = pool_.acquire();
    mongoc_client_t* client = lease.get();
    const std::string& database = pool_.database();

    mongoc_database_t* db = mongoc_client_get_database(client, database.c_str());
    struct DbDelete {
        mongoc_database_t* db;
        ~DbDelete() { mongoc_database_destroy(db); }
    } db_guard{db};
    bson_error_t error;
    char** names = mongoc_database_get_collection_names_with_opts(db, nullptr, &error);
    if (names == nullptr) {
        throw store_error(error, "list collections");
    }
    std::set<std::string> existing;
    for (char** n = names; *n != nullptr; ++n) {
        existing.insert(*n);
    }
    bson_strfreev(names);
    for (const char* name : kCollections) {
        if (existing.contains(name)) {
            continue;
        }
        mongoc_collection_t* created = mongoc_database_create_collection(db, name, nullptr, &error);
        if (created == nullptr) {
            StoreError e = store_error(error, std::string("create collection ") + name);
            if (e.code() != 48) {  // NamespaceExists: another node was faster
                throw e;
            }
        } else {
            mongoc_collection_destroy(created);
        }
    }

    for (const IndexSpec& spec : index_specs(upload_expiration_.count())) {
        bool unique = spec.option == Option::Unique || spec.option == Option::PartialUniqueEmail;
        bool partial = spec.option == Option::PartialUniqueEmail;
        std::optional<int64_t> ttl;
        if (spec.option == Option::Ttl) {
            ttl = spec.ttl_seconds;
        }
        try {
            create_index(client, database, spec, unique, partial, ttl);
        } catch (const StoreError& e) {
            if (e.unavailable()) {
                throw;
            }
            if (spec.option == Option::IgnoreErrors) {
                kLog.info("Index not created, an existing one is kept",
                          {{"index", describe(spec)}, {"error", e.what()}});
                continue;
            }
            if (e.duplicate_key()) {
                throw std::runtime_error(
                    "cannot build the unique index " + describe(spec) +
                    ": the collection holds duplicates; remove them and restart");
            }
            if (e.kind() == StoreError::Kind::NotImplemented && partial) {
                create_index(client, database, spec, false, false, std::nullopt);
                outcome.unique_email_in_code = true;
                continue;
            }
            if (e.kind() == StoreError::Kind::NotImplemented && ttl) {
                create_index(client, database, spec, false, false, std::nullopt);
                outcome.ttl_purge_needed = true;
                continue;
            }
            if (options_conflict(e) && ttl) {
                // The expiration changed since the index was built (docs/reference/mongodb.md §3).
                try {
                    change_ttl(client, database, spec);
                    kLog.info("TTL index updated", {{"index", describe(spec)},
                                                    {"expireAfterSeconds", std::to_string(*ttl)}});
                } catch (const StoreError& collmod) {
                    if (collmod.kind() != StoreError::Kind::NotImplemented) {
                        throw;
                    }
                    outcome.ttl_purge_needed = true;
                }
                continue;
            }
            throw;
        }
    }
    if (outcome.unique_email_in_code) {
        kLog.warn(
            "Partial indexes unsupported by the MongoDB server: users.email uniqueness is "
            "enforced by the worker");
    }
    if (outcome.ttl_purge_needed) {
        kLog.warn(
            "TTL indexes unsupported by the MongoDB server: purging expired documents "
            "in-process every minute");
    }
    kLog.info("MongoDB collections and indexes ready", {{"database", database}});
    return outcome;
}

int64_t purge_expired(MongoPool& pool, std::chrono::seconds upload_expiration) {
    using namespace std::chrono;
    int64_t now = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    int64_t deleted = 0;
    {
        Collection c(pool, "twake_calendar_uploaded_files");
        Bson filter(BCON_NEW("created", "{", "$lt",
                             BCON_DATE_TIME(now - upload_expiration.count() * 1000), "}"));
        deleted += c.delete_many(filter.get());
    }
    {
        Collection c(pool, "twake_calendar_alarm_events_ledge");
        Bson filter(BCON_NEW("expiresAt", "{", "$lte", BCON_DATE_TIME(now), "}"));
        deleted += c.delete_many(filter.get());
    }
    {
        Collection c(pool, "auth_tickets");
        Bson filter(BCON_NEW("validUntil", "{", "$lte", BCON_DATE_TIME(now), "}"));
        deleted += c.delete_many(filter.get());
    }
    {
        Collection c(pool, "twake_calendar_sent_mails");
        Bson filter(BCON_NEW("expiresAt", "{", "$lte", BCON_DATE_TIME(now), "}"));
        deleted += c.delete_many(filter.get());
    }
    return deleted;
}

}  // namespace twake::store
