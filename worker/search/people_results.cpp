#include "worker/search/people_results.hpp"

#include <algorithm>

#include "shared/identity/address.hpp"
#include "worker/avatar/avatar_url.hpp"

namespace twake::search {

namespace {

using json::Json;

std::string trimmed(const std::string& text) {
    auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) {
        return "";
    }
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

bool icon_name(const std::string& name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-';
    });
}

// One-member-list entries: {"<key>": value, "type": type}.
Json typed(const char* key, const std::string& value, const std::string& type) {
    Json entry = Json::object();
    entry.set(key, value);
    entry.set("type", type);
    Json list = Json::array();
    list.push(std::move(entry));
    return list;
}

int compare_ignoring_case(const std::string& a, const std::string& b) {
    size_t n = std::min(a.size(), b.size());
    for (size_t i = 0; i < n; ++i) {
        unsigned char x = static_cast<unsigned char>(identity::lower(a[i]));
        unsigned char y = static_cast<unsigned char>(identity::lower(b[i]));
        if (x != y) {
            return x < y ? -1 : 1;
        }
    }
    return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

}  // namespace

Person user_person(const std::string& id, const std::string& email, const std::string& firstname,
                   const std::string& lastname, const std::string& self_url) {
    return {PersonType::User,
            id,
            email,
            "Work",
            trimmed(firstname + " " + lastname),
            avatar::avatar_url(self_url, email)};
}

Person contact_person(const ContactHit& hit, const std::optional<std::string>& user_id,
                      const std::string& self_url) {
    return {user_id ? PersonType::User : PersonType::Contact,
            user_id.value_or(hit.contact_id),
            hit.email,
            "Work",
            hit.full_name(),
            avatar::avatar_url(self_url, hit.email)};
}

Person resource_person(const std::string& id, const std::string& name,
                       const std::optional<std::string>& icon, const std::string& domain,
                       const std::string& self_url) {
    return {PersonType::Resource,
            id,
            id + "@" + domain,
            "default",
            name,
            icon ? resource_icon_url(self_url, *icon) : std::nullopt};
}

std::optional<std::string> resource_icon_url(const std::string& self_url, const std::string& icon) {
    if (!icon_name(icon)) {
        return std::nullopt;
    }
    return self_url + "/images/icon/" + icon + ".svg";
}

std::vector<Person> rank_people(std::vector<Person> people, int limit) {
    std::stable_sort(people.begin(), people.end(), [](const Person& a, const Person& b) {
        if (a.type != b.type) {
            return a.type < b.type;
        }
        return compare_ignoring_case(a.display_name, b.display_name) < 0;
    });
    if (limit >= 0 && people.size() > static_cast<size_t>(limit)) {
        people.resize(static_cast<size_t>(limit));
    }
    return people;
}

Json people_json(const std::vector<Person>& people) {
    Json list = Json::array();
    for (const Person& p : people) {
        Json entry = Json::object();
        entry.set("id", p.id);
        entry.set("objectType", name_of(p.type));
        entry.set("names", typed("displayName", p.display_name, "default"));
        entry.set("emailAddresses", typed("value", p.email, p.email_type));
        entry.set("phoneNumbers", Json::array());
        if (p.photo) {
            entry.set("photos", typed("url", *p.photo, "default"));
        }
        list.push(std::move(entry));
    }
    return list;
}

}  // namespace twake::search
