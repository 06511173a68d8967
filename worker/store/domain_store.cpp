#include "worker/store/domain_store.hpp"

#include <cctype>

#include "shared/identity/address.hpp"
#include "worker/store/bson.hpp"
#include "worker/store/store_error.hpp"

namespace twake::store {

namespace {

constexpr const char* kCollection = "domains";

int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Domain read_domain(const bson_t* doc) {
    Domain d;
    d.id = get_oid(doc, "_id").value_or("");
    d.name = get_string(doc, "name").value_or("");
    bson_iter_t it;
    bson_iter_t admins;
    if (bson_iter_init_find(&it, doc, "administrators") && BSON_ITER_HOLDS_ARRAY(&it) &&
        bson_iter_recurse(&it, &admins)) {
        while (bson_iter_next(&admins)) {
            if (!BSON_ITER_HOLDS_DOCUMENT(&admins)) {
                continue;
            }
            uint32_t length = 0;
            const uint8_t* data = nullptr;
            bson_iter_document(&admins, &length, &data);
            bson_t entry;
            if (!bson_init_static(&entry, data, length)) {
                continue;
            }
            // Tolerate legacy entries: string ids, missing timestamps
            // (docs/reference/mongodb.md §5).
            if (auto user = get_oid(&entry, "user_id")) {
                d.administrators.push_back({*user, get_date(&entry, "timestamps.creation")});
            }
        }
    }
    return d;
}

}  // namespace

std::optional<Domain> DomainStore::find_by_id(std::string_view id) {
    auto oid = parse_oid(id);
    if (!oid) {
        return std::nullopt;
    }
    Collection c(pool_, kCollection);
    Bson filter(BCON_NEW("_id", BCON_OID(&*oid)));
    auto doc = c.find_one(filter.get());
    if (!doc) {
        return std::nullopt;
    }
    return read_domain(doc->get());
}

std::optional<Domain> DomainStore::find_by_name(const std::string& name) {
    Collection c(pool_, kCollection);
    Bson filter(BCON_NEW("name", BCON_UTF8(name.c_str())));
    auto doc = c.find_one(filter.get());
    if (!doc) {
        return std::nullopt;
    }
    return read_domain(doc->get());
}

std::vector<Domain> DomainStore::list() {
    Collection c(pool_, kCollection);
    Bson filter;
    std::vector<Domain> out;
    for (const Bson& doc : c.find(filter.get())) {
        out.push_back(read_domain(doc.get()));
    }
    return out;
}

bool DomainStore::add(const std::string& name) {
    Collection c(pool_, kCollection);
    bson_oid_t oid;
    bson_oid_init(&oid, nullptr);
    // `timestamps` (OpenPaaS's spelling), not upstream's `timestamp` typo.
    Bson doc(BCON_NEW("_id", BCON_OID(&oid), "timestamps", "{", "creation",
                      BCON_DATE_TIME(now_ms()), "}", "hostnames", "[", "]", "name",
                      BCON_UTF8(name.c_str()), "company_name", BCON_UTF8(name.c_str()),
                      "administrators", "[", "]"));
    try {
        c.insert_one(doc.get());
        return true;
    } catch (const StoreError& e) {
        if (e.duplicate_key()) {
            return false;
        }
        throw;
    }
}

bool DomainStore::add_administrator(const std::string& domain_id, const std::string& user_id) {
    auto d = parse_oid(domain_id);
    auto u = parse_oid(user_id);
    if (!d || !u) {
        return false;
    }
    std::lock_guard lock(administrators_mutex_);
    Collection c(pool_, kCollection);
    // One guarded push: a concurrent grant cannot add the same administrator twice. The guard also
    // looks for the id as a string, the form of legacy entries (docs/reference/mongodb.md §5). It
    // is a $nor of $in rather than $ne/$nin: FerretDB 1.x answers $ne, $nin and $elemMatch wrongly
    // on a path through an array of documents holding ObjectIds, and $nor/$in rightly.
    std::string hex = oid_hex(*u);
    std::string upper_hex = hex;
    for (char& ch : upper_hex) {
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
    Bson filter(BCON_NEW("_id", BCON_OID(&*d), "$nor", "[", "{", "administrators.user_id", "{",
                         "$in", "[", BCON_OID(&*u), BCON_UTF8(hex.c_str()),
                         BCON_UTF8(upper_hex.c_str()), "]", "}", "}", "]"));
    Bson update(BCON_NEW("$push", "{", "administrators", "{", "user_id", BCON_OID(&*u),
                         "timestamps", "{", "creation", BCON_DATE_TIME(now_ms()), "}", "}", "}"));
    if (c.update_one(filter.get(), update.get()) > 0) {
        return true;
    }
    Bson exists(BCON_NEW("_id", BCON_OID(&*d)));
    return c.find_one(exists.get()).has_value();
}

bool DomainStore::revoke_administrator(const std::string& domain_id, const std::string& user_id) {
    auto d = parse_oid(domain_id);
    if (!d) {
        return false;
    }
    std::lock_guard lock(administrators_mutex_);
    Collection c(pool_, kCollection);
    // FerretDB 1.x ignores a condition document in $pull: read, filter, and write the array back
    // guarded on the value read, retrying if it changed meanwhile (docs/reference/mongodb.md §5).
    for (int attempt = 0; attempt < 5; ++attempt) {
        Bson filter(BCON_NEW("_id", BCON_OID(&*d)));
        auto doc = c.find_one(filter.get());
        if (!doc) {
            return false;
        }
        bson_iter_t it;
        if (!bson_iter_init_find(&it, doc->get(), "administrators") ||
            !BSON_ITER_HOLDS_ARRAY(&it)) {
            return true;
        }
        uint32_t length = 0;
        const uint8_t* data = nullptr;
        bson_iter_array(&it, &length, &data);
        bson_t old_array;
        bson_init_static(&old_array, data, length);

        Bson kept_doc;
        bson_t kept;
        BSON_APPEND_ARRAY_BEGIN(kept_doc.get(), "administrators", &kept);
        bool removed = false;
        int index = 0;
        bson_iter_t element;
        bson_iter_init(&element, &old_array);
        while (bson_iter_next(&element)) {
            bool match = false;
            if (BSON_ITER_HOLDS_DOCUMENT(&element)) {
                uint32_t l = 0;
                const uint8_t* d2 = nullptr;
                bson_iter_document(&element, &l, &d2);
                bson_t entry;
                bson_init_static(&entry, d2, l);
                // A legacy string id may be written in capitals.
                auto id = get_oid(&entry, "user_id");
                match = id && identity::lower(*id) == identity::lower(user_id);
            }
            if (match) {
                removed = true;
                continue;
            }
            std::string key = std::to_string(index++);
            bson_append_iter(&kept, key.c_str(), -1, &element);
        }
        bson_append_array_end(kept_doc.get(), &kept);
        if (!removed) {
            return true;
        }
        Bson guard(BCON_NEW("_id", BCON_OID(&*d)));
        BSON_APPEND_ARRAY(guard.get(), "administrators", &old_array);
        Bson update;
        BSON_APPEND_DOCUMENT(update.get(), "$set", kept_doc.get());
        if (c.update_one(guard.get(), update.get()) > 0) {
            return true;
        }
    }
    throw StoreError(StoreError::Kind::Other, 0,
                     "domain administrators changed concurrently; retry");
}

}  // namespace twake::store
