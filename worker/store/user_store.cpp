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

// A sub-document element, borrowed from the iterator's document.
bool borrow_document(const bson_iter_t* it, bson_t* out) {
    if (!BSON_ITER_HOLDS_DOCUMENT(it)) {
        return false;
    }
    uint32_t length = 0;
    const uint8_t* data = nullptr;
    bson_iter_document(it, &length, &data);
    return bson_init_static(out, data, length);
}

// An `emails` array whose preferred address (the index readers use: `preferred` when it
// exists, else 0) becomes `email`.
void append_emails_replacing(bson_t* doc, const bson_iter_t* emails, int64_t preferred,
                             const std::string& email) {
    bson_iter_t items;
    int64_t count = 0;
    if (bson_iter_recurse(emails, &items)) {
        while (bson_iter_next(&items)) {
            ++count;
        }
    }
    int64_t target = preferred >= 0 && preferred < count ? preferred : 0;
    bson_t array;
    BSON_APPEND_ARRAY_BEGIN(doc, "emails", &array);
    int64_t index = 0;
    if (bson_iter_recurse(emails, &items)) {
        while (bson_iter_next(&items)) {
            std::string key = std::to_string(index);
            if (index == target) {
                BSON_APPEND_UTF8(&array, key.c_str(), email.c_str());
            } else {
                bson_append_iter(&array, key.c_str(), -1, &items);
            }
            ++index;
        }
    }
    if (count == 0) {
        BSON_APPEND_UTF8(&array, "0", email.c_str());
    }
    bson_append_array_end(doc, &array);
}

// One account with its preferred address replaced; its other fields kept in place.
void append_account_replacing(bson_t* array, const char* key, const bson_t* account,
                              const std::string& email) {
    int64_t preferred = get_int(account, "preferredEmailIndex").value_or(0);
    bson_t out;
    BSON_APPEND_DOCUMENT_BEGIN(array, key, &out);
    bool has_emails = false;
    bson_iter_t field;
    if (bson_iter_init(&field, account)) {
        while (bson_iter_next(&field)) {
            if (std::string_view(bson_iter_key(&field)) == "emails" &&
                BSON_ITER_HOLDS_ARRAY(&field)) {
                has_emails = true;
                append_emails_replacing(&out, &field, preferred, email);
            } else {
                bson_append_iter(&out, bson_iter_key(&field), -1, &field);
            }
        }
    }
    if (!has_emails) {
        append_string_array(&out, "emails", {email});
    }
    bson_append_document_end(array, &out);
}

// `accounts` for a new address: the first e-mail account gets it as its preferred address;
// other accounts, addresses and sub-fields are kept. Without an e-mail account, one is added.
void append_accounts_for(bson_t* doc, const bson_t* stored, const std::string& email) {
    bson_t array;
    BSON_APPEND_ARRAY_BEGIN(doc, "accounts", &array);
    bool replaced = false;
    uint32_t index = 0;
    bson_iter_t it;
    bson_iter_t accounts;
    if (bson_iter_init_find(&it, stored, "accounts") && BSON_ITER_HOLDS_ARRAY(&it) &&
        bson_iter_recurse(&it, &accounts)) {
        while (bson_iter_next(&accounts)) {
            std::string key = std::to_string(index++);
            bson_t account;
            if (!replaced && borrow_document(&accounts, &account) &&
                get_string(&account, "type") == "email") {
                append_account_replacing(&array, key.c_str(), &account, email);
                replaced = true;
            } else {
                bson_append_iter(&array, key.c_str(), -1, &accounts);
            }
        }
    }
    if (!replaced) {
        std::string key = std::to_string(index);
        bson_t account;
        BSON_APPEND_DOCUMENT_BEGIN(&array, key.c_str(), &account);
        BSON_APPEND_UTF8(&account, "type", "email");
        append_string_array(&account, "emails", {email});
        bson_append_document_end(&array, &account);
    }
    bson_append_array_end(doc, &array);
}

std::optional<std::string> member_domain_id(const bson_iter_t* element) {
    bson_t member;
    return borrow_document(element, &member) ? get_oid(&member, "domain_id") : std::nullopt;
}

void append_membership(bson_t* array, const char* key, const bson_oid_t& domain_id) {
    bson_t member;
    BSON_APPEND_DOCUMENT_BEGIN(array, key, &member);
    BSON_APPEND_OID(&member, "domain_id", &domain_id);
    bson_append_document_end(array, &member);
}

// `domains` for a move from `old_id` (the old address's domain, when known) to `new_id`: the
// old membership becomes the new one; other memberships and their sub-fields are kept; a
// missing membership of the new domain goes first (esn-sabre reads domains[0]).
void append_domains_for(bson_t* doc, const bson_t* stored, const std::optional<std::string>& old_id,
                        const std::string& new_id) {
    bson_oid_t new_oid = *parse_oid(new_id);
    bool moving = old_id && *old_id != new_id;
    bool has_new = false;
    bool has_old = false;
    bson_iter_t it;
    bson_iter_t members;
    bool stored_array = bson_iter_init_find(&it, stored, "domains") && BSON_ITER_HOLDS_ARRAY(&it) &&
                        bson_iter_recurse(&it, &members);
    if (stored_array) {
        while (bson_iter_next(&members)) {
            auto id = member_domain_id(&members);
            has_new = has_new || id == new_id;
            has_old = has_old || (moving && id == old_id);
        }
    }
    bson_t array;
    BSON_APPEND_ARRAY_BEGIN(doc, "domains", &array);
    uint32_t index = 0;
    if (!has_new && !has_old) {
        append_membership(&array, std::to_string(index++).c_str(), new_oid);
    }
    bool replaced = false;
    if (stored_array && bson_iter_recurse(&it, &members)) {
        while (bson_iter_next(&members)) {
            std::string key = std::to_string(index);
            if (moving && !replaced && member_domain_id(&members) == old_id) {
                replaced = true;
                if (has_new) {
                    continue;  // already a member of the new domain
                }
                append_membership(&array, key.c_str(), new_oid);
            } else {
                bson_append_iter(&array, key.c_str(), -1, &members);
            }
            ++index;
        }
    }
    bson_append_array_end(doc, &array);
}

// The guard of a careful write: the field holds what was read (or is still absent).
void append_guard(bson_t* filter, const bson_t* stored, const char* key) {
    bson_iter_t it;
    if (bson_iter_init_find(&it, stored, key)) {
        bson_append_iter(filter, key, -1, &it);
    } else {
        bson_t absent;
        BSON_APPEND_DOCUMENT_BEGIN(filter, key, &absent);
        BSON_APPEND_BOOL(&absent, "$exists", false);
        bson_append_document_end(filter, &absent);
    }
}

constexpr int kGuardedWriteAttempts = 5;

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
        Bson filter(BCON_NEW("_id", BCON_OID(&*oid)));
        append_guard(filter.get(), stored->get(), "accounts");
        append_guard(filter.get(), stored->get(), "domains");
        Bson change;
        bson_t set;
        BSON_APPEND_DOCUMENT_BEGIN(change.get(), "$set", &set);
        BSON_APPEND_UTF8(&set, "firstname", firstname.c_str());
        BSON_APPEND_UTF8(&set, "lastname", lastname.c_str());
        append_string_array(&set, "firstnames", split_first_names(firstname));
        BSON_APPEND_UTF8(&set, "email", normalised.c_str());
        append_domains_for(&set, stored->get(), old_domain_id, domain->id);
        append_accounts_for(&set, stored->get(), normalised);
        bson_append_document_end(change.get(), &set);
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
    // Only the `i` option: FerretDB 1.x refuses upstream's `u` (storage.md §4).
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
        Bson change;
        bson_t set;
        BSON_APPEND_DOCUMENT_BEGIN(change.get(), "$set", &set);
        auto email = preferred_email(doc.get());
        if (email) {
            BSON_APPEND_UTF8(&set, "email", email->c_str());
        }
        append_string_array(&set, "firstnames",
                            split_first_names(get_string(doc.get(), "firstname").value_or("")));
        bson_append_document_end(change.get(), &set);
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
