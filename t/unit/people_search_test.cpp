// People search as pure logic: the request (worker/search/people_search_request.hpp), the
// contact-index query and hits (worker/search/contact_search.hpp), the merged answer
// (worker/search/people_results.hpp) and the avatar URL (worker/avatar/avatar_url.hpp).

#include <gtest/gtest.h>

#include "shared/config/properties.hpp"
#include "worker/avatar/avatar_url.hpp"
#include "worker/errors/invalid_input.hpp"
#include "worker/search/contact_search.hpp"
#include "worker/search/opensearch_config.hpp"
#include "worker/search/people_results.hpp"
#include "worker/search/people_search_request.hpp"

namespace {

using namespace twake::search;
using twake::errors::InvalidInput;

std::string refusal(const std::string& body) {
    try {
        parse_people_search(body);
    } catch (const InvalidInput& e) {
        return e.what();
    }
    return "accepted";
}

TEST(PeopleSearchRequest, ReadsTextTypesAndLimit) {
    auto r = parse_people_search(
        R"({"q":"ali","objectTypes":["USER","Resource","group","ldap",3],"limit":10,"x":1})");
    EXPECT_EQ(r.query, "ali");
    EXPECT_EQ(r.types, (std::set<PersonType>{PersonType::User, PersonType::Resource}));
    EXPECT_EQ(r.limit, 10);
    auto team = parse_people_search(R"({"q":"","objectTypes":["team-calendar"],"limit":1})");
    EXPECT_EQ(team.types, std::set<PersonType>{PersonType::TeamCalendar});
}

TEST(PeopleSearchRequest, MissingTextAndTypesMeanEmptyAndEverything) {
    auto r = parse_people_search(R"({"limit":256})");
    EXPECT_EQ(r.query, "");
    EXPECT_TRUE(r.types.empty());
    EXPECT_EQ(r.limit, 256);
    // Only unknown names: every kind, as upstream.
    EXPECT_TRUE(parse_people_search(R"({"objectTypes":["group"],"limit":1})").types.empty());
}

TEST(PeopleSearchRequest, LimitRefusals) {
    EXPECT_EQ(refusal(R"({"q":"a"})"), "Limit must be greater than 0");
    EXPECT_EQ(refusal(R"({"q":"a","limit":null})"), "Limit must be greater than 0");
    EXPECT_EQ(refusal(R"({"q":"a","limit":0})"), "Limit must be greater than 0");
    EXPECT_EQ(refusal(R"({"q":"a","limit":-3})"), "Limit must be greater than 0");
    EXPECT_EQ(refusal(R"({"q":"a","limit":257})"), "Maximum limit allowed: 256, but got: 257");
    EXPECT_EQ(refusal(R"({"q":"a","limit":1e12})"),
              "Maximum limit allowed: 256, but got: 1000000000000");
    EXPECT_EQ(refusal(R"({"q":"a","limit":2.5})"), "Limit must be an integer");
    EXPECT_EQ(refusal(R"({"q":"a","limit":"10"})"), "Limit must be an integer");
}

TEST(PeopleSearchRequest, ShapeRefusals) {
    EXPECT_EQ(refusal("not json"), "The body must be a JSON object");
    EXPECT_EQ(refusal("[]"), "The body must be a JSON object");
    EXPECT_EQ(refusal(R"({"q":1,"limit":1})"), "q must be a string");
    EXPECT_EQ(refusal(R"({"objectTypes":"user","limit":1})"),
              "objectTypes must be an array of strings");
}

TEST(PeopleSearchRequest, ProvidersFollowTheTypes) {
    PeopleSearchRequest all{"", {}, 5};
    EXPECT_TRUE(all.runs_contacts() && all.runs_resources() && all.users_allowed());
    EXPECT_FALSE(all.runs_users());  // users come from contacts then
    PeopleSearchRequest users{"", {PersonType::User}, 5};
    EXPECT_TRUE(users.runs_users());
    EXPECT_FALSE(users.runs_contacts() || users.runs_resources());
    PeopleSearchRequest both{"", {PersonType::User, PersonType::Contact}, 5};
    EXPECT_FALSE(both.runs_users());
    EXPECT_TRUE(both.runs_contacts() && both.users_allowed());
    PeopleSearchRequest contacts{"", {PersonType::Contact}, 5};
    EXPECT_FALSE(contacts.users_allowed() || contacts.runs_users());
}

TEST(ContactSearch, ReadAliasesFromTheProperties) {
    using twake::config::Properties;
    auto defaults = read_opensearch_config(Properties::parse("opensearch.hosts=h:9200\n", "t"));
    EXPECT_EQ(defaults.contacts.user_read_alias, "user_contact_read_alias");
    EXPECT_EQ(defaults.contacts.domain_read_alias, "domain_contact_read_alias");
    auto set = read_opensearch_config(
        Properties::parse("opensearch.hosts=h:9200\nopensearch.alias.read.contact.user.name=u\n"
                          "opensearch.alias.read.contact.domain.name=d\n",
                          "t"));
    EXPECT_EQ(contact_search_target(set.contacts),
              "/u,d/_search?ignore_unavailable=true&allow_no_indices=true");
}

TEST(ContactSearch, TargetsBothReadAliases) {
    EXPECT_EQ(contact_search_target(ContactIndicesConfig{}),
              "/user_contact_read_alias,domain_contact_read_alias/_search"
              "?ignore_unavailable=true&allow_no_indices=true");
}

TEST(ContactSearch, BodyMatchesNamesOrTheAddress) {
    EXPECT_EQ(
        contact_search_body("ali", "alice@example.com", "example.com", 10),
        R"({"size":10,"query":{"bool":{"must":[{"multi_match":{"query":"ali","fields":["email","firstname","surname"]}}],)"
        R"("should":[{"term":{"accountId":"alice@example.com"}},{"term":{"domain":"example.com"}}],)"
        R"("minimum_should_match":"1"}}})");
    EXPECT_EQ(
        contact_search_body("bob@ex", "alice@example.com", "example.com", 3),
        R"({"size":3,"query":{"bool":{"must":[{"match":{"email":{"query":"bob@ex"}}}],)"
        R"("should":[{"term":{"accountId":"alice@example.com"}},{"term":{"domain":"example.com"}}],)"
        R"("minimum_should_match":"1"}}})");
}

TEST(ContactSearch, HitsAreDeduplicatedByLowerCasedAddress) {
    auto hits = read_contact_hits(
        R"({"hits":{"total":{"value":4},"hits":[)"
        R"({"_source":{"accountId":"a@x.test","contactId":"c1","email":"Bob@X.test","firstname":"Bob","surname":"Durand"}},)"
        R"({"_source":{"domain":"x.test","contactId":"c2","email":"bob@x.test","firstname":"Robert"}},)"
        R"({"_source":{"domain":"x.test","contactId":"c3"}},)"
        R"({"_source":{"domain":"x.test","contactId":"c4","email":"carl@x.test","surname":"Zed"}}]}})");
    ASSERT_TRUE(hits);
    ASSERT_EQ(hits->size(), 2u);
    EXPECT_EQ((*hits)[0].contact_id, "c1");
    EXPECT_EQ((*hits)[0].email, "Bob@X.test");
    EXPECT_EQ((*hits)[0].full_name(), "Bob Durand");
    EXPECT_EQ((*hits)[1].full_name(), "Zed");
    EXPECT_FALSE(read_contact_hits("{}"));
    EXPECT_FALSE(read_contact_hits("nope"));
}

TEST(AvatarUrl, KeepsTheAtAndEncodesQueryBreakers) {
    EXPECT_EQ(twake::avatar::avatar_url("https://c.test", "a+b&c@x.test"),
              "https://c.test/api/avatars?email=a%2Bb%26c@x.test");
}

TEST(PeopleResults, EntriesOfEachKind) {
    Person user = user_person("u1", "ada@x.test", "Ada", "", "https://c.test");
    EXPECT_EQ(user.display_name, "Ada");
    Person contact =
        contact_person({"c1", "bob@x.test", "Bob", "Durand"}, std::nullopt, "https://c.test");
    Person known = contact_person({"c2", "ada@x.test", "Ada", "L"}, "u1", "https://c.test");
    EXPECT_EQ(known.type, PersonType::User);
    EXPECT_EQ(known.id, "u1");
    Person room = resource_person("r1", "Blue room", "meeting-room", "x.test", "https://c.test");
    Person bad_icon = resource_person("r2", "Old", "../etc", "x.test", "https://c.test");
    Person no_icon = resource_person("r3", "Old", std::nullopt, "x.test", "https://c.test");
    EXPECT_FALSE(bad_icon.photo || no_icon.photo);
    EXPECT_EQ(
        people_json({user, contact, room}).dump(),
        R"([{"id":"u1","objectType":"user","names":[{"displayName":"Ada","type":"default"}],)"
        R"("emailAddresses":[{"value":"ada@x.test","type":"Work"}],"phoneNumbers":[],)"
        R"("photos":[{"url":"https://c.test/api/avatars?email=ada@x.test","type":"default"}]},)"
        R"({"id":"c1","objectType":"contact","names":[{"displayName":"Bob Durand","type":"default"}],)"
        R"("emailAddresses":[{"value":"bob@x.test","type":"Work"}],"phoneNumbers":[],)"
        R"("photos":[{"url":"https://c.test/api/avatars?email=bob@x.test","type":"default"}]},)"
        R"({"id":"r1","objectType":"resource","names":[{"displayName":"Blue room","type":"default"}],)"
        R"("emailAddresses":[{"value":"r1@x.test","type":"default"}],"phoneNumbers":[],)"
        R"("photos":[{"url":"https://c.test/images/icon/meeting-room.svg","type":"default"}]}])");
    EXPECT_EQ(people_json({no_icon}).dump().find("photos"), std::string::npos);
}

TEST(PeopleResults, RankedByKindThenNameIgnoringCaseThenCut) {
    auto p = [](PersonType t, const char* name) { return Person{t, name, "", "", name, {}}; };
    std::vector<Person> ranked =
        rank_people({p(PersonType::Contact, "alice"), p(PersonType::TeamCalendar, "a"),
                     p(PersonType::Resource, "zeta"), p(PersonType::User, "bob"),
                     p(PersonType::User, "Alice"), p(PersonType::Resource, "Beta")},
                    5);
    std::vector<std::string> order;
    for (const auto& r : ranked) {
        order.push_back(r.display_name);
    }
    EXPECT_EQ(order, (std::vector<std::string>{"Alice", "bob", "Beta", "zeta", "alice"}));
    EXPECT_TRUE(rank_people({}, 3).empty());
}

}  // namespace
