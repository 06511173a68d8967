#include "worker/store/user_document.hpp"

#include "shared/identity/address.hpp"

namespace twake::store {

namespace {

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

Bson user_projection() {
    return Bson(BCON_NEW("projection", "{", "firstname", BCON_INT32(1), "lastname", BCON_INT32(1),
                         "accounts", BCON_INT32(1), "domains", BCON_INT32(1), "email",
                         BCON_INT32(1), "}"));
}

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

std::optional<User> read_user(const bson_t* doc, const std::optional<std::string>& queried_email) {
    User u;
    u.id = get_oid(doc, "_id").value_or("");
    auto email = queried_email ? queried_email : preferred_email(doc);
    if (!email || u.id.empty()) {
        return std::nullopt;
    }
    u.email = *email;
    u.firstname = get_string(doc, "firstname").value_or("");
    u.lastname = get_string(doc, "lastname").value_or("");
    u.domain_id = get_oid(doc, "domains.0.domain_id");
    return u;
}

Bson new_user_document(const bson_oid_t& id, const std::string& email, const std::string& firstname,
                       const std::string& lastname, const bson_oid_t& domain_id,
                       const std::string& password) {
    // Field order as upstream writes it (docs/reference/mongodb.md §4).
    Bson doc(BCON_NEW("_id", BCON_OID(&id), "firstname", BCON_UTF8(firstname.c_str()), "lastname",
                      BCON_UTF8(lastname.c_str())));
    append_string_array(doc.get(), "firstnames", split_first_names(firstname));
    BSON_APPEND_UTF8(doc.get(), "password", password.c_str());
    BSON_APPEND_UTF8(doc.get(), "email", email.c_str());
    bson_t array;
    bson_t element;
    BSON_APPEND_ARRAY_BEGIN(doc.get(), "domains", &array);
    BSON_APPEND_DOCUMENT_BEGIN(&array, "0", &element);
    BSON_APPEND_OID(&element, "domain_id", &domain_id);
    bson_append_document_end(&array, &element);
    bson_append_array_end(doc.get(), &array);
    BSON_APPEND_ARRAY_BEGIN(doc.get(), "accounts", &array);
    BSON_APPEND_DOCUMENT_BEGIN(&array, "0", &element);
    BSON_APPEND_UTF8(&element, "type", "email");
    append_string_array(&element, "emails", {email});
    bson_append_document_end(&array, &element);
    bson_append_array_end(doc.get(), &array);
    return doc;
}

Bson user_update(const bson_t* stored, const std::optional<std::string>& old_domain_id,
                 const std::string& new_domain_id, const std::string& email,
                 const std::string& firstname, const std::string& lastname) {
    Bson change;
    bson_t set;
    BSON_APPEND_DOCUMENT_BEGIN(change.get(), "$set", &set);
    BSON_APPEND_UTF8(&set, "firstname", firstname.c_str());
    BSON_APPEND_UTF8(&set, "lastname", lastname.c_str());
    append_string_array(&set, "firstnames", split_first_names(firstname));
    BSON_APPEND_UTF8(&set, "email", email.c_str());
    append_domains_for(&set, stored, old_domain_id, new_domain_id);
    append_accounts_for(&set, stored, email);
    bson_append_document_end(change.get(), &set);
    return change;
}

Bson update_guard(const bson_oid_t& id, const bson_t* stored) {
    Bson filter(BCON_NEW("_id", BCON_OID(&id)));
    append_guard(filter.get(), stored, "accounts");
    append_guard(filter.get(), stored, "domains");
    return filter;
}

Bson missing_fields_update(const bson_t* doc) {
    Bson change;
    bson_t set;
    BSON_APPEND_DOCUMENT_BEGIN(change.get(), "$set", &set);
    if (auto email = preferred_email(doc)) {
        BSON_APPEND_UTF8(&set, "email", email->c_str());
    }
    append_string_array(&set, "firstnames",
                        split_first_names(get_string(doc, "firstname").value_or("")));
    bson_append_document_end(change.get(), &set);
    return change;
}

}  // namespace twake::store
