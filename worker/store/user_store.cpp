#include "worker/store/user_store.hpp"

#include "shared/identity/address.hpp"
#include "shared/log/log.hpp"
#include "shared/text/uuid.hpp"
#include "worker/store/bson.hpp"
#include "worker/store/store_error.hpp"

namespace twake::store {

namespace {

constexpr const char* kCollection = "users";
const log::Logger kLog("worker.store.users");

// Users are read with this projection: never the password hash (storage.md §4).
Bson user_projection() {
    return Bson(BCON_NEW("projection", "{", "firstname", BCON_INT32(1), "lastname", BCON_INT32(1),
                         "accounts", BCON_INT32(1), "domains", BCON_INT32(1), "email",
                         BCON_INT32(1), "}"));
}

// The address of the first account whose type is `email`: emails[preferredEmailIndex], as
// esn-sabre reads it.
std::optional<std::string> preferred_email(const bson_t* doc) {
    bson_iter_t it;
    bson_iter_t accounts;
    if (!bson_iter_init_find(&it, doc, "accounts") || !BSON_ITER_HOLDS_ARRAY(&it) ||
        !bson_iter_recurse(&it, &accounts)) {
        return std::nullopt;
    }
    while (bson_iter_next(&accounts)) {
        if (!BSON_ITER_HOLDS_DOCUMENT(&accounts)) {
            continue;
        }
        uint32_t length = 0;
        const uint8_t* data = nullptr;
        bson_iter_document(&accounts, &length, &data);
        bson_t account;
        bson_init_static(&account, data, length);
        if (get_string(&account, "type") != "email") {
            continue;
        }
        int64_t index = get_int(&account, "preferredEmailIndex").value_or(0);
        std::string key = "emails." + std::to_string(index);
        if (auto e = get_string(&account, key.c_str())) {
            return identity::lower(*e);
        }
        return get_string(&account, "emails.0");
    }
    return std::nullopt;
}

std::optional<User> read_user(const bson_t* doc, std::optional<std::string> queried_email) {
    User u;
    u.id = get_oid(doc, "_id").value_or("");
    auto email = queried_email ? queried_email : preferred_email(doc);
    if (!email || u.id.empty()) {
        kLog.warn("Skipping a user document without an e-mail account", {{"userId", u.id}});
        return std::nullopt;
    }
    u.email = *email;
    u.firstname = get_string(doc, "firstname").value_or("");
    u.lastname = get_string(doc, "lastname").value_or("");
    u.domain_id = get_oid(doc, "domains.0.domain_id");
    return u;
}

void append_string_array(bson_t* doc, const char* key, const std::vector<std::string>& items) {
    bson_t array;
    BSON_APPEND_ARRAY_BEGIN(doc, key, &array);
    for (size_t i = 0; i < items.size(); ++i) {
        std::string k = std::to_string(i);
        BSON_APPEND_UTF8(&array, k.c_str(), items[i].c_str());
    }
    bson_append_array_end(doc, &array);
}

std::vector<User> read_users(const std::vector<Bson>& docs) {
    std::vector<User> out;
    for (const Bson& doc : docs) {
        if (auto u = read_user(doc.get(), std::nullopt)) {
            out.push_back(std::move(*u));
        }
    }
    return out;
}

}  // namespace

std::vector<std::string> split_first_names(const std::string& firstname) {
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos <= firstname.size()) {
        size_t space = firstname.find(' ', pos);
        if (space == std::string::npos) {
            space = firstname.size();
        }
        std::string item = firstname.substr(pos, space - pos);
        size_t b = item.find_first_not_of(" \t");
        if (b != std::string::npos) {
            size_t e = item.find_last_not_of(" \t");
            out.push_back(item.substr(b, e - b + 1));
        }
        pos = space + 1;
    }
    return out;
}

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
    return doc ? read_user(doc->get(), std::nullopt) : std::nullopt;
}

std::optional<User> UserStore::find_by_email(const std::string& email) {
    std::string normalised = identity::lower(email);
    Collection c(pool_, kCollection);
    Bson filter(BCON_NEW("accounts.emails", BCON_UTF8(normalised.c_str())));
    Bson opts = user_projection();
    auto doc = c.find_one(filter.get(), opts.get());
    return doc ? read_user(doc->get(), normalised) : std::nullopt;
}

User UserStore::add(const std::string& email, const std::string& firstname,
                    const std::string& lastname) {
    auto address = identity::parse_address(email);
    if (!address) {
        throw std::invalid_argument("not an e-mail address");
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
    // Field order as upstream writes it (storage.md §4).
    Bson doc(BCON_NEW("_id", BCON_OID(&oid), "firstname", BCON_UTF8(firstname.c_str()), "lastname",
                      BCON_UTF8(lastname.c_str())));
    append_string_array(doc.get(), "firstnames", split_first_names(firstname));
    std::string password = text::random_uuid();  // a placeholder: never read
    BSON_APPEND_UTF8(doc.get(), "password", password.c_str());
    BSON_APPEND_UTF8(doc.get(), "email", normalised.c_str());
    bson_t array;
    bson_t element;
    BSON_APPEND_ARRAY_BEGIN(doc.get(), "domains", &array);
    BSON_APPEND_DOCUMENT_BEGIN(&array, "0", &element);
    BSON_APPEND_OID(&element, "domain_id", &*domain_oid);
    bson_append_document_end(&array, &element);
    bson_append_array_end(doc.get(), &array);
    BSON_APPEND_ARRAY_BEGIN(doc.get(), "accounts", &array);
    BSON_APPEND_DOCUMENT_BEGIN(&array, "0", &element);
    BSON_APPEND_UTF8(&element, "type", "email");
    append_string_array(&element, "emails", {normalised});
    bson_append_document_end(&array, &element);
    bson_append_array_end(doc.get(), &array);

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
    // Only the `i` option: FerretDB 1.x refuses upstream's `u` (storage.md §4).
    Bson filter(BCON_NEW("$and", "[", "{", "domains.domain_id", BCON_OID(&*oid), "}", "{", "$or",
                         "[", "{", "accounts.emails", BCON_REGEX(p, "i"), "}", "{", "firstname",
                         BCON_REGEX(p, "i"), "}", "{", "lastname", BCON_REGEX(p, "i"), "}", "{",
                         "firstnames", BCON_REGEX(p, "i"), "}", "]", "}", "]"));
    Bson opts = user_projection();
    BSON_APPEND_INT64(opts.get(), "limit", limit);
    return read_users(c.find(filter.get(), opts.get()));
}

}  // namespace twake::store
