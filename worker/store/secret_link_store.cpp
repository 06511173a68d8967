#include "worker/store/secret_link_store.hpp"

#include <stdexcept>

#include "worker/store/bson.hpp"
#include "worker/store/store_error.hpp"

namespace twake::store {

namespace {

constexpr const char* kCollection = "secretlinks";

bson_oid_t user_oid(const std::string& user_id) {
    auto oid = parse_oid(user_id);
    if (!oid) {
        throw std::invalid_argument("not a user id: " + user_id);
    }
    return *oid;
}

Bson owner_filter(const bson_oid_t& user, const std::string& home, const std::string& calendar) {
    return Bson(BCON_NEW("user_id", BCON_OID(&user), "calendarHomeId", BCON_UTF8(home.c_str()),
                         "calendarId", BCON_UTF8(calendar.c_str())));
}

}  // namespace

std::optional<std::string> SecretLinkStore::token_of(const std::string& user_id,
                                                     const std::string& home,
                                                     const std::string& calendar) {
    bson_oid_t user = user_oid(user_id);
    Collection c(pool_, kCollection);
    Bson filter = owner_filter(user, home, calendar);
    auto doc = c.find_one(filter.get());
    return doc ? get_string(doc->get(), "token") : std::nullopt;
}

void SecretLinkStore::save(const std::string& user_id, const std::string& home,
                           const std::string& calendar, const std::string& token) {
    bson_oid_t user = user_oid(user_id);
    Bson filter = owner_filter(user, home, calendar);
    Bson replacement(BCON_NEW("user_id", BCON_OID(&user), "calendarHomeId", BCON_UTF8(home.c_str()),
                              "calendarId", BCON_UTF8(calendar.c_str()), "token",
                              BCON_UTF8(token.c_str())));
    Bson opts(BCON_NEW("upsert", BCON_BOOL(true)));
    Collection c(pool_, kCollection);
    upsert_once_more_on_duplicate(
        [&] { c.replace_one(filter.get(), replacement.get(), opts.get()); });
}

std::optional<std::string> SecretLinkStore::owner_of(const std::string& token,
                                                     const std::string& home,
                                                     const std::string& calendar) {
    Collection c(pool_, kCollection);
    Bson filter(BCON_NEW("token", BCON_UTF8(token.c_str()), "calendarHomeId",
                         BCON_UTF8(home.c_str()), "calendarId", BCON_UTF8(calendar.c_str())));
    auto doc = c.find_one(filter.get());
    return doc ? get_oid(doc->get(), "user_id") : std::nullopt;
}

}  // namespace twake::store
