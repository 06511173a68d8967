#include "worker/store/user_store.hpp"

#include "shared/identity/address.hpp"
#include "shared/log/log.hpp"
#include "shared/text/uuid.hpp"
#include "worker/errors/invalid_input.hpp"
#include "worker/store/bson.hpp"
#include "worker/store/store_error.hpp"

namespace twake::store {

namespace {

constexpr const char* kCollection = "users";
const log::Logger kLog("worker.store.users");

// A user document as a User; one without an address is skipped, and logged.
std::optional<User> read_logged(const bson_t* doc,
                                const std::optional<std::string>& queried_email) {
    auto user = read_user(doc, queried_email);
    if (!user) {
        kLog.warn("Skipping a user document without an e-mail account",
                  {{"userId", get_oid(doc, "_id").value_or("")}});
    }
    return user;
}

constexpr int kGuardedWriteAttempts = 5;

std::vector<User> read_users(const std::vector<Bson>& docs) {
    std::vector<User> out;
    for (const Bson& doc : docs) {
        if (auto u = read_logged(doc.get(), std::nullopt)) {
            out.push_back(std::move(*u));
        }
    }
    return out;
}

}  // namespace

std::string escape_regex(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (std::string_view("\\^$.|?*+()[]{}/-").find(c) != std::string_view::npos) {
            out.push_back('\\');
        }
        out.push_back(c);
    }
    return out;
}

std::optional<User> UserStore::find_by_id(std::string_view id) {
    auto oid = parse_oid(id);
    if (!oid) {
        return std::nullopt;
    }
    Collection c(pool_, kCollection);
    Bson filter(BCON_NEW("_id", BCON_OID(&*oid)));
    Bson opts = user_projection();
    auto doc = c.find_one(filter.get(), opts.get());
    return doc ? read_logged(doc->get(), std::nullopt) : std::nullopt;
}

std::optional<User> UserStore::find_by_email(const std::string& email) {
    std::string normalised = identity::lower(email);
    Collection c(pool_, kCollection);
    Bson filter(BCON_NEW("accounts.emails", BCON_UTF8(normalised.c_str())));
    Bson opts = user_projection();
    auto doc = c.find_one(filter.get(), opts.get());
    return doc ? read_logged(doc->get(), normalised) : std::nullopt;
}

User UserStore::add(const std::string& email, const std::string& firstname,
                    const std::string& lastname) {
    auto address = identity::parse_address(email);
    if (!address) {
        throw errors::InvalidInput("not an e-mail address");
    }
    std::string normalised = address->full();
    auto domain = domains_.find_by_name(address->domain);
    if (!domain) {
        throw DomainNotFound(address->domain);
    }
    if (uniqueness_in_code_ && find_by_email(normalised)) {
        throw UserConflict(normalised);
    }
    auto domain_oid = parse_oid(domain->id);
    bson_oid_t oid;
    bson_oid_init(&oid, nullptr);
    Bson doc = new_user_document(oid, normalised, firstname, lastname, *domain_oid,
                                 text::random_uuid());  // a placeholder password: never read

    Collection c(pool_, kCollection);
    try {
        c.insert_one(doc.get());
    } catch (const StoreError& e) {
        if (e.duplicate_key()) {
            throw UserConflict(normalised);
        }
        throw;
    }
    if (uniqueness_in_code_) {
        // Two concurrent creations may both have passed the check: keep the older document.
        Bson filter(BCON_NEW("email", BCON_UTF8(normalised.c_str())));
        Bson opts(BCON_NEW("projection", "{", "_id", BCON_INT32(1), "}", "sort", "{", "_id",
                           BCON_INT32(1), "}"));
        auto same = c.find(filter.get(), opts.get());
        if (same.size() > 1 && get_oid(same.front().get(), "_id") != oid_hex(oid)) {
            Bson mine(BCON_NEW("_id", BCON_OID(&oid)));
            c.delete_one(mine.get());
            throw UserConflict(normalised);
        }
    }
    return User{oid_hex(oid), normalised, firstname, lastname, domain->id};
}

User UserStore::update(const std::string& id, const std::string& email,
                       const std::string& firstname, const std::string& lastname) {
    auto oid = parse_oid(id);
    if (!oid) {
        throw UserNotFound(id);
    }
    auto address = identity::parse_address(email);
    if (!address) {
        throw errors::InvalidInput("not an e-mail address");
    }
    std::string normalised = address->full();
    auto domain = domains_.find_by_name(address->domain);
    if (!domain) {
        throw DomainNotFound(address->domain);
    }
    if (auto holder = find_by_email(normalised); holder && holder->id != oid_hex(*oid)) {
        throw UserConflict(normalised);
    }
    Collection c(pool_, kCollection);
    Bson by_id(BCON_NEW("_id", BCON_OID(&*oid)));
    Bson opts(
        BCON_NEW("projection", "{", "accounts", BCON_INT32(1), "domains", BCON_INT32(1), "}"));
    for (int attempt = 0; attempt < kGuardedWriteAttempts; ++attempt) {
        auto stored = c.find_one(by_id.get(), opts.get());
        if (!stored) {
            throw UserNotFound(id);
        }
        std::optional<std::string> old_domain_id;
        if (auto old_email = preferred_email(stored->get())) {
            if (auto old = identity::parse_address(*old_email)) {
                if (old->domain == domain->name) {
                    old_domain_id = domain->id;
                } else if (auto old_domain = domains_.find_by_name(old->domain)) {
                    old_domain_id = old_domain->id;
                }
            }
        }
        Bson filter = update_guard(*oid, stored->get());
        Bson change =
            user_update(stored->get(), old_domain_id, domain->id, normalised, firstname, lastname);
        try {
            if (c.update_one(filter.get(), change.get()) > 0) {
                return User{oid_hex(*oid), normalised, firstname, lastname, domain->id};
            }
        } catch (const StoreError& e) {
            if (e.duplicate_key()) {
                throw UserConflict(normalised);
            }
            throw;
        }
        // The document changed between the read and the write: read it again.
    }
    throw std::runtime_error("user " + id + " kept changing during the update");
}

bool UserStore::remove(const std::string& email) {
    std::string normalised = identity::lower(email);
    Collection c(pool_, kCollection);
    Bson filter(BCON_NEW("$or", "[", "{", "email", BCON_UTF8(normalised.c_str()), "}", "{",
                         "accounts.emails", BCON_UTF8(normalised.c_str()), "}", "]"));
    return c.delete_one(filter.get()) > 0;
}

std::vector<User> UserStore::list() {
    Collection c(pool_, kCollection);
    Bson filter;
    Bson opts = user_projection();
    return read_users(c.find(filter.get(), opts.get()));
}

std::vector<User> UserStore::list_by_domain(const std::string& domain_id) {
    auto oid = parse_oid(domain_id);
    if (!oid) {
        return {};
    }
    Collection c(pool_, kCollection);
    Bson filter(BCON_NEW("domains.domain_id", BCON_OID(&*oid)));
    Bson opts = user_projection();
    return read_users(c.find(filter.get(), opts.get()));
}

std::vector<User> UserStore::search(const std::string& domain_id, const std::string& query,
                                    int limit) {
    auto oid = parse_oid(domain_id);
    if (!oid || limit <= 0) {
        return {};
    }
    std::string pattern = "^" + escape_regex(query);
    const char* p = pattern.c_str();
    Collection c(pool_, kCollection);
    // Only the `i` option: FerretDB 1.x refuses upstream's `u` (docs/reference/mongodb.md §11).
    Bson filter(BCON_NEW("$and", "[", "{", "domains.domain_id", BCON_OID(&*oid), "}", "{", "$or",
                         "[", "{", "accounts.emails", BCON_REGEX(p, "i"), "}", "{", "firstname",
                         BCON_REGEX(p, "i"), "}", "{", "lastname", BCON_REGEX(p, "i"), "}", "{",
                         "firstnames", BCON_REGEX(p, "i"), "}", "]", "}", "]"));
    Bson opts = user_projection();
    BSON_APPEND_INT64(opts.get(), "limit", limit);
    return read_users(c.find(filter.get(), opts.get()));
}

MissingFieldsBatch UserStore::add_missing_fields(const std::string& after_id, int limit) {
    Collection c(pool_, kCollection);
    Bson filter;
    if (auto after = parse_oid(after_id)) {
        filter = Bson(BCON_NEW("_id", "{", "$gt", BCON_OID(&*after), "}"));
    }
    Bson opts(BCON_NEW("projection", "{", "email", BCON_INT32(1), "firstnames", BCON_INT32(1),
                       "firstname", BCON_INT32(1), "accounts", BCON_INT32(1), "}", "sort", "{",
                       "_id", BCON_INT32(1), "}", "limit", BCON_INT64(limit)));
    std::vector<Bson> docs = c.find(filter.get(), opts.get());
    MissingFieldsBatch batch;
    batch.exhausted = docs.size() < static_cast<size_t>(limit);
    for (const Bson& doc : docs) {
        bson_iter_t id;
        if (!bson_iter_init_find(&id, doc.get(), "_id")) {
            continue;
        }
        std::string user_id = get_oid(doc.get(), "_id").value_or("");
        batch.last_id = user_id;
        ++batch.processed;
        bson_iter_t it;
        if (bson_iter_init_find(&it, doc.get(), "email") &&
            bson_iter_init_find(&it, doc.get(), "firstnames")) {
            continue;  // processed, not upgraded
        }
        Bson by_id;
        bson_append_iter(by_id.get(), "_id", -1, &id);
        Bson change = missing_fields_update(doc.get());
        auto email = preferred_email(doc.get());
        try {
            if (email && uniqueness_in_code_) {
                // No unique index on this server: refuse what the index would refuse.
                Bson same(BCON_NEW("email", BCON_UTF8(email->c_str())));
                Bson ids(BCON_NEW("projection", "{", "_id", BCON_INT32(1), "}"));
                for (const Bson& other : c.find(same.get(), ids.get())) {
                    if (get_oid(other.get(), "_id") != user_id) {
                        throw StoreError(StoreError::Kind::DuplicateKey, 11000,
                                         "email " + *email + " is already used");
                    }
                }
            }
            int64_t modified = 0;
            c.update_one(by_id.get(), change.get(), nullptr, nullptr, &modified);
            batch.upgraded += modified;
        } catch (const StoreError& e) {
            if (e.unavailable()) {
                throw;
            }
            kLog.warn("Could not add the missing fields of a user document",
                      {{"userId", user_id}, {"error", e.what()}});
            ++batch.errors;
        }
    }
    return batch;
}

}  // namespace twake::store
