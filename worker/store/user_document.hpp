#pragma once

// The OpenPaaS user document (docs/reference/mongodb.md §4) as BSON, built and read without MongoDB: what
// UserStore writes and what it makes of what it reads. Pure functions, unit-tested.

#include <bson/bson.h>

#include <optional>
#include <string>
#include <vector>

#include "worker/store/bson.hpp"

namespace twake::store {

struct User {
    std::string id;
    std::string email;  // the preferred address of the first e-mail account (lower-cased)
    std::string firstname;
    std::string lastname;
    std::optional<std::string> domain_id;  // domains[0].domain_id
};

// `firstname` split on spaces, items trimmed, empty items dropped (the `firstnames` field).
std::vector<std::string> split_first_names(const std::string& firstname);

// The find options users are read with: never the password hash.
Bson user_projection();

// The address of the first account whose type is `email`: emails[preferredEmailIndex] (else
// emails[0]), lower-cased, as esn-sabre reads it.
std::optional<std::string> preferred_email(const bson_t* doc);

// The user of a document; `queried_email` (when the document was found by one of its
// addresses) is its `email`, else its preferred address. Nullopt without an id or an address.
std::optional<User> read_user(const bson_t* doc, const std::optional<std::string>& queried_email);

// A new user's document, fields in upstream's order; `password` is a placeholder never read.
Bson new_user_document(const bson_oid_t& id, const std::string& email, const std::string& firstname,
                       const std::string& lastname, const bson_oid_t& domain_id,
                       const std::string& password);

// The `$set` of the careful update of `stored` (its `accounts` and `domains`) to `email` in
// domain `new_domain_id`, moving it out of `old_domain_id` (the old address's domain, when
// known): the first e-mail account's preferred address and the old membership are replaced,
// every other account, membership and sub-field is kept.
Bson user_update(const bson_t* stored, const std::optional<std::string>& old_domain_id,
                 const std::string& new_domain_id, const std::string& email,
                 const std::string& firstname, const std::string& lastname);

// The filter of that update: the user's id and `accounts` and `domains` as read (or absent),
// so that a concurrent change makes it match nothing.
Bson update_guard(const bson_oid_t& id, const bson_t* stored);

// The `$set` the add-missing-fields migration gives a document (docs/reference/mongodb.md §10): `email` =
// its preferred address (when it has one), `firstnames` = the split of `firstname`.
Bson missing_fields_update(const bson_t* doc);

}  // namespace twake::store
