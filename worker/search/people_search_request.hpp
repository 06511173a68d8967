#pragma once

// The body of POST /api/people/search (docs/reference/rest-api.md §14): the text, the kinds of
// people asked for and how many, read and checked; which providers then run.
// Pure: JSON text in, values out.

#include <set>
#include <string>
#include <string_view>

namespace twake::search {

// In the order results are ranked (user first).
enum class PersonType { User, Resource, Contact, TeamCalendar };

// Wire names: "user", "resource", "contact", "team-calendar".
std::string_view name_of(PersonType type);

inline constexpr int kMaxPeopleLimit = 256;

struct PeopleSearchRequest {
    std::string query;           // "" when absent
    std::set<PersonType> types;  // the recognised names; empty = every kind
    int limit = 0;               // 1…kMaxPeopleLimit

    bool wants(PersonType type) const { return types.empty() || types.contains(type); }
    // The contact provider runs when contacts are wanted (every kind included).
    bool runs_contacts() const { return wants(PersonType::Contact); }
    // Users come from the contact provider unless the caller names users without contacts.
    bool runs_users() const {
        return !types.empty() && types.contains(PersonType::User) &&
               !types.contains(PersonType::Contact);
    }
    bool runs_resources() const { return wants(PersonType::Resource); }
    // Whether a contact whose address is a user's may be answered as that user.
    bool users_allowed() const { return wants(PersonType::User); }
};

// Unknown members and unknown type names are ignored; type names match case-insensitively.
// Throws errors::InvalidInput (the 400's details): not a JSON object, `q` not a string,
// `objectTypes` not an array, `limit` not an integer ("Limit must be an integer"), missing or below
// 1 ("Limit must be greater than 0"), above 256 ("Maximum limit allowed: 256, but got: <n>").
PeopleSearchRequest parse_people_search(std::string_view body);

}  // namespace twake::search
