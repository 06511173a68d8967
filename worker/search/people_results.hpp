#pragma once

// The answer of people search (docs/reference/rest-api.md §14): one entry per user, resource or
// contact found, made alike whatever found it, then merged, ranked and cut to the limit.
// Pure: values in, values and JSON out.

#include <optional>
#include <string>
#include <vector>

#include "shared/json/json.hpp"
#include "worker/search/contact_search.hpp"
#include "worker/search/people_search_request.hpp"

namespace twake::search {

struct Person {
    PersonType type = PersonType::Contact;
    std::string id;
    std::string email;
    std::string email_type;  // "Work" for people, "default" for resources
    std::string display_name;
    std::optional<std::string> photo;  // absent: no `photos` member
};

// A user document: display name "firstname lastname" trimmed, the avatar as photo.
Person user_person(const std::string& id, const std::string& email, const std::string& firstname,
                   const std::string& lastname, const std::string& self_url);

// A contact, answered as the user `user_id` when given (its address is that user's).
Person contact_person(const ContactHit& hit, const std::optional<std::string>& user_id,
                      const std::string& self_url);

// A resource: address `{id}@{domain}`, its icon as photo when it has a valid one.
Person resource_person(const std::string& id, const std::string& name,
                       const std::optional<std::string>& icon, const std::string& domain,
                       const std::string& self_url);

// `{self_url}/images/icon/{icon}.svg`; nullopt unless the name is made of [A-Za-z0-9_-] only.
std::optional<std::string> resource_icon_url(const std::string& self_url, const std::string& icon);

// Ordered by kind (user, resource, contact, team calendar), then display name ignoring ASCII
// case (stable otherwise), the first `limit` kept.
std::vector<Person> rank_people(std::vector<Person> people, int limit);

// The JSON array of the answer.
json::Json people_json(const std::vector<Person>& people);

}  // namespace twake::search
