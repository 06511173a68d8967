#include "worker/services/people_search.hpp"

#include <optional>

#include "shared/identity/address.hpp"
#include "shared/log/log.hpp"
#include "worker/runtime/store_call.hpp"
#include "worker/search/contact_search.hpp"
#include "worker/settings/domain_settings.hpp"

namespace twake::services {

namespace {

const log::Logger kLog("worker.search.people");

using search::PeopleSearchRequest;
using search::Person;
using settings::UserSearchMode;

// What MongoDB answers before the contacts are read.
struct StoredPeople {
    UserSearchMode mode = UserSearchMode::Enabled;
    std::vector<Person> people;  // users (when their provider runs) and resources
};

// Blocking. `limited`: only the user whose address is the text, in the caller's domain.
std::vector<store::User> users_of(store::UserStore& users, const std::string& domain_id,
                                  const std::string& domain, UserSearchMode mode,
                                  const std::string& query, int limit) {
    switch (mode) {
        case UserSearchMode::Disabled:
            return {};
        case UserSearchMode::Limited: {
            auto user = users.find_by_email(query);
            auto address = user ? identity::parse_address(user->email) : std::nullopt;
            if (address && address->domain == domain) {
                return {*user};
            }
            return {};
        }
        case UserSearchMode::Enabled:
            return users.search(domain_id, query, limit);
    }
    return {};
}

// Blocking.
StoredPeople stored_people(const PeopleSources& from, const std::string& domain,
                           const PeopleSearchRequest& request) {
    StoredPeople out;
    out.mode = settings::resolve(from.settings.find(domain), domain, from.config).user_search_mode;
    if (!request.runs_users() && !request.runs_resources()) {
        return out;
    }
    auto registered = from.domains.find_by_name(domain);
    if (!registered) {
        return out;
    }
    const std::string& self_url = from.config.self_url;
    if (request.runs_users()) {
        for (const auto& u :
             users_of(from.users, registered->id, domain, out.mode, request.query, request.limit)) {
            out.people.push_back(
                search::user_person(u.id, u.email, u.firstname, u.lastname, self_url));
        }
    }
    if (request.runs_resources()) {
        for (const auto& r : from.resources.search(registered->id, request.query, request.limit)) {
            out.people.push_back(search::resource_person(r.id, r.name, r.icon, domain, self_url));
        }
    }
    return out;
}

// Blocking: each contact as the user owning its address when `resolve`, else as a contact.
std::vector<Person> contact_people(store::UserStore& users, const std::string& self_url,
                                   const std::vector<search::ContactHit>& hits, bool resolve) {
    std::vector<Person> out;
    for (const auto& hit : hits) {
        std::optional<std::string> user_id;
        if (resolve) {
            if (auto user = users.find_by_email(hit.email)) {
                user_id = user->id;
            }
        }
        out.push_back(search::contact_person(hit, user_id, self_url));
    }
    return out;
}

}  // namespace

runtime::Awaitable<std::vector<Person>> PeopleSearch::search(
    const std::string& email, const std::string& domain, const PeopleSearchRequest& request) const {
    auto load = [from = from_, domain, request] { return stored_people(from, domain, request); };
    StoredPeople stored = co_await runtime::run_store_call(from_.blocking, load);
    std::vector<Person> people = std::move(stored.people);

    if (request.runs_contacts()) {
        auto hits = co_await contacts(email, domain, request);
        if (!hits.empty()) {
            bool resolve = request.users_allowed() && stored.mode != UserSearchMode::Disabled;
            auto convert = [&users = from_.users, self_url = from_.config.self_url, hits, resolve] {
                return contact_people(users, self_url, hits, resolve);
            };
            for (auto& p : co_await runtime::run_store_call(from_.blocking, convert)) {
                people.push_back(std::move(p));
            }
        }
    }
    // Team calendars are not stored yet: the kind is recognised and gives nothing.
    co_return search::rank_people(std::move(people), request.limit);
}

runtime::Awaitable<std::vector<search::ContactHit>> PeopleSearch::contacts(
    const std::string& email, const std::string& domain, const PeopleSearchRequest& request) const {
    search::OpenSearchRequest query{
        .method = "POST",
        .target = search::contact_search_target(from_.config.opensearch.contacts),
        .body = search::contact_search_body(request.query, email, domain, request.limit)};
    std::string failure;
    try {
        net::HttpResponse answer = co_await from_.opensearch.send(query);
        if (answer.status == 200) {
            if (auto hits = search::read_contact_hits(answer.body)) {
                co_return std::move(*hits);
            }
            failure = "unreadable answer";
        } else {
            failure =
                "answered " + std::to_string(answer.status) + " " + answer.body.substr(0, 300);
        }
    } catch (const net::HttpError& e) {
        failure = e.what();
    }
    // Users and resources still answer: a contact index down must not empty the attendee
    // picker (docs/reference/rest-api.md §14).
    contact_failures_.Increment();
    kLog.warn("People search without contacts: OpenSearch failed", {{"error", failure}});
    co_return std::vector<search::ContactHit>{};
}

}  // namespace twake::services
