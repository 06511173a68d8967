#pragma once

// The `users` collection in the OpenPaaS format (docs/reference/mongodb.md §4), shared with
// esn-sabre.

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "worker/store/domain_store.hpp"
#include "worker/store/mongo_pool.hpp"
#include "worker/store/user_document.hpp"

namespace twake::store {

class DomainNotFound : public std::runtime_error {
  public:
    explicit DomainNotFound(const std::string& domain)
        : std::runtime_error(domain + " does not exist"), domain_(domain) {}
    const std::string& domain() const { return domain_; }

  private:
    std::string domain_;
};

class UserConflict : public std::runtime_error {
  public:
    explicit UserConflict(const std::string& email)
        : std::runtime_error(email + " already exists") {}
};

class UserNotFound : public std::runtime_error {
  public:
    explicit UserNotFound(const std::string& id)
        : std::runtime_error("User with id " + id + " not found") {}
};

// What one batch of the add-missing-fields migration did (docs/reference/mongodb.md §10).
struct MissingFieldsBatch {
    std::optional<std::string> last_id;  // the next batch starts after it; nullopt: none read
    int64_t processed = 0;
    int64_t upgraded = 0;
    int64_t errors = 0;
    bool exhausted = false;  // no document left after this batch
};

// Escapes regular-expression metacharacters (FerretDB has no \Q…\E).
std::string escape_regex(const std::string& text);

// Blocking calls: run them on the blocking pool.
class UserStore {
  public:
    UserStore(MongoPool& pool, DomainStore& domains) : pool_(pool), domains_(domains) {}

    // Where the server cannot hold the partial unique index on `email` (FerretDB 1.x), the
    // uniqueness of new users is enforced here instead (docs/reference/mongodb.md §11).
    void set_uniqueness_in_code(bool on) { uniqueness_in_code_ = on; }

    std::optional<User> find_by_id(std::string_view id);
    // By any address of any account; the user's `email` is the queried address.
    std::optional<User> find_by_email(const std::string& email);
    // Creates the user in its address's domain; throws DomainNotFound or UserConflict.
    User add(const std::string& email, const std::string& firstname, const std::string& lastname);
    // Gives the user `email` and the names (webadmin PATCH), the careful `update` of
    // docs/reference/mongodb.md §4: the first e-mail account's preferred address and the membership
    // of the old address's domain are replaced, every other account, membership and legacy
    // sub-field is kept; the write is guarded by the arrays read and retried when they changed.
    // Throws UserNotFound, DomainNotFound, UserConflict (the address belongs to another user).
    User update(const std::string& id, const std::string& email, const std::string& firstname,
                const std::string& lastname);
    // Deletes the user having this address; false when there was none.
    bool remove(const std::string& email);
    std::vector<User> list();
    std::vector<User> list_by_domain(const std::string& domain_id);
    // Case-insensitive prefix match on addresses, first name(s) and last name, in a domain.
    std::vector<User> search(const std::string& domain_id, const std::string& query, int limit);

    // The add-missing-fields migration over the `limit` documents following `after_id` (all from
    // the start when empty), in `_id` order: a document lacking `email` or `firstnames` gets
    // `email` = its preferred address (when it has one) and `firstnames` = the split of `firstname`
    // (docs/reference/mongodb.md §10). An update error is logged and counted, not thrown.
    MissingFieldsBatch add_missing_fields(const std::string& after_id, int limit);

  private:
    MongoPool& pool_;
    DomainStore& domains_;
    bool uniqueness_in_code_ = false;
};

}  // namespace twake::store
