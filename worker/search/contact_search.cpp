#include "worker/search/contact_search.hpp"

#include <set>

#include "shared/identity/address.hpp"
#include "shared/json/json.hpp"

namespace twake::search {

namespace {

using json::Json;

Json single(const char* key, Json value) {
    Json out = Json::object();
    out.set(key, std::move(value));
    return out;
}

Json term(const char* field, const std::string& value) {
    Json inner = Json::object();
    inner.set(field, value);
    return single("term", std::move(inner));
}

Json text_clause(const std::string& query) {
    Json inner = Json::object();
    inner.set("query", query);
    if (query.find('@') != std::string::npos) {
        return single("match", single("email", std::move(inner)));
    }
    Json fields = Json::array();
    for (const char* f : {"email", "firstname", "surname"}) {
        fields.push(f);
    }
    inner.set("fields", std::move(fields));
    return single("multi_match", std::move(inner));
}

}  // namespace

std::string ContactHit::full_name() const {
    if (firstname.empty() || surname.empty()) {
        return firstname + surname;
    }
    return firstname + " " + surname;
}

std::string contact_search_target(const ContactIndicesConfig& config) {
    return "/" + config.user_read_alias + "," + config.domain_read_alias +
           "/_search?ignore_unavailable=true&allow_no_indices=true";
}

std::string contact_search_body(const std::string& query, const std::string& account,
                                const std::string& domain, int limit) {
    Json must = Json::array();
    must.push(text_clause(query));
    Json should = Json::array();
    should.push(term("accountId", account));
    should.push(term("domain", domain));
    Json boolean = Json::object();
    boolean.set("must", std::move(must));
    boolean.set("should", std::move(should));
    boolean.set("minimum_should_match", "1");
    Json body = Json::object();
    body.set("size", limit);
    body.set("query", single("bool", std::move(boolean)));
    return body.dump();
}

std::optional<std::vector<ContactHit>> read_contact_hits(std::string_view answer) {
    auto parsed = Json::parse(answer);
    if (!parsed) {
        return std::nullopt;
    }
    const cJSON* hits = cJSON_GetObjectItemCaseSensitive(parsed->get(), "hits");
    const cJSON* list = cJSON_GetObjectItemCaseSensitive(hits, "hits");
    if (!cJSON_IsArray(list)) {
        return std::nullopt;
    }
    std::vector<ContactHit> out;
    std::set<std::string> seen;
    const cJSON* hit = nullptr;
    cJSON_ArrayForEach(hit, list) {
        const cJSON* source = cJSON_GetObjectItemCaseSensitive(hit, "_source");
        auto email = json::string_member(source, "email");
        if (!email || email->empty() || !seen.insert(identity::lower(*email)).second) {
            continue;
        }
        out.push_back({json::string_member(source, "contactId").value_or(""), *email,
                       json::string_member(source, "firstname").value_or(""),
                       json::string_member(source, "surname").value_or("")});
    }
    return out;
}

}  // namespace twake::search
