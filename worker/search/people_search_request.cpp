#include "worker/search/people_search_request.hpp"

#include <cmath>
#include <optional>

#include "shared/identity/address.hpp"
#include "shared/json/json.hpp"
#include "worker/errors/invalid_input.hpp"

namespace twake::search {

namespace {

std::optional<PersonType> parse_type(std::string_view name) {
    std::string lower = identity::lower(name);
    for (PersonType t :
         {PersonType::User, PersonType::Resource, PersonType::Contact, PersonType::TeamCalendar}) {
        if (lower == name_of(t)) {
            return t;
        }
    }
    return std::nullopt;
}

// Printed as an integer when it is one, so that 1000 reads "1000", not "1000.000000".
std::string number_text(double value) {
    if (std::trunc(value) == value && std::fabs(value) < 1e15) {
        return std::to_string(static_cast<long long>(value));
    }
    return std::to_string(value);
}

int read_limit(const cJSON* member) {
    if (member == nullptr || cJSON_IsNull(member)) {
        throw errors::InvalidInput("Limit must be greater than 0");
    }
    if (!cJSON_IsNumber(member) || std::trunc(member->valuedouble) != member->valuedouble) {
        throw errors::InvalidInput("Limit must be an integer");
    }
    double n = member->valuedouble;
    if (n <= 0) {
        throw errors::InvalidInput("Limit must be greater than 0");
    }
    if (n > kMaxPeopleLimit) {
        throw errors::InvalidInput("Maximum limit allowed: " + std::to_string(kMaxPeopleLimit) +
                                   ", but got: " + number_text(n));
    }
    return static_cast<int>(n);
}

}  // namespace

std::string_view name_of(PersonType type) {
    switch (type) {
        case PersonType::User:
            return "user";
        case PersonType::Resource:
            return "resource";
        case PersonType::Contact:
            return "contact";
        case PersonType::TeamCalendar:
            return "team-calendar";
    }
    return "";
}

PeopleSearchRequest parse_people_search(std::string_view body) {
    auto parsed = json::Json::parse(body);
    if (!parsed || !cJSON_IsObject(parsed->get())) {
        throw errors::InvalidInput("The body must be a JSON object");
    }
    const cJSON* root = parsed->get();
    PeopleSearchRequest request;
    const cJSON* q = cJSON_GetObjectItemCaseSensitive(root, "q");
    if (q != nullptr && !cJSON_IsNull(q)) {
        if (!cJSON_IsString(q)) {
            throw errors::InvalidInput("q must be a string");
        }
        request.query = q->valuestring;
    }
    // Upstream answers 500 without objectTypes; absent is read as "every kind".
    const cJSON* types = cJSON_GetObjectItemCaseSensitive(root, "objectTypes");
    if (types != nullptr && !cJSON_IsNull(types)) {
        if (!cJSON_IsArray(types)) {
            throw errors::InvalidInput("objectTypes must be an array of strings");
        }
        const cJSON* item = nullptr;
        cJSON_ArrayForEach(item, types) {
            if (cJSON_IsString(item)) {
                if (auto t = parse_type(item->valuestring)) {
                    request.types.insert(*t);
                }
            }
        }
    }
    request.limit = read_limit(cJSON_GetObjectItemCaseSensitive(root, "limit"));
    return request;
}

}  // namespace twake::search
