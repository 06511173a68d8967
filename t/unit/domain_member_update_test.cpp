#include <gtest/gtest.h>

#include "shared/jwt/technical_token.hpp"
#include "worker/addressbook/member_update.hpp"
#include "domain_member_test_support.hpp"

using twake::addressbook::compute_member_update;
using twake::addressbook::Contact;
using twake::addressbook::contact_of;
using twake::addressbook::testing::card;
using twake::ldap::LdapEntry;

namespace {

LdapEntry entry(std::map<std::string, std::string> attributes) {
    return LdapEntry{.dn = "uid=x,ou=users", .attributes = std::move(attributes)};
}

LdapEntry alice() {
    return entry({{"uid", "alice"},
                  {"cn", "Alice Martin"},
                  {"sn", "Martin"},
                  {"mail", "alice@example.com"},
                  {"telephoneNumber", "123"}});
}

}  // namespace

TEST(DomainMemberUpdate, MapsAnEntryAsUpstream) {
    auto c = contact_of(alice(), "");
    ASSERT_TRUE(c);
    EXPECT_EQ(*c, (card("alice", "Martin", "Alice", "Alice Martin", "alice@example.com", "123")));
    // givenName and displayName win; values are trimmed; no uid: the address's v3 UUID.
    auto d = contact_of(entry({{"cn", "Bob"},
                               {"givenName", " Robert "},
                               {"displayName", "Bobby"},
                               {"mail", "Bob@Example.com"}}),
                        "");
    EXPECT_EQ(*d, (card(twake::jwt::name_based_uuid("Bob@example.com"), std::nullopt, "Robert",
                        "Bobby", "Bob@example.com", std::nullopt)));
    // Nothing but a mail: FN is the address, no N.
    auto e = contact_of(entry({{"mail", "e@example.com"}, {"sn", "  "}}), "kept");
    EXPECT_EQ(*e, (card("kept", std::nullopt, std::nullopt, "e@example.com", "e@example.com",
                        std::nullopt)));
}

TEST(DomainMemberUpdate, RefusesAMailThatIsNotAnAddress) {
    EXPECT_FALSE(contact_of(entry({{"mail", "no at sign"}}), ""));
    EXPECT_FALSE(contact_of(entry({{"mail", "john doe@example.com"}}), ""));
    EXPECT_FALSE(contact_of(entry({{"mail", "a@b@example.com"}}), ""));
    EXPECT_FALSE(contact_of(entry({}), ""));
}

TEST(DomainMemberUpdate, AddsUpdatesAndDeletesOnlyWhatDiffers) {
    Contact same = *contact_of(alice(), "card-a");
    Contact stale = card("card-b", "Old", "Bob", "Bob Old", "BOB@example.com", std::nullopt);
    Contact gone =
        card("card-c", std::nullopt, std::nullopt, "C", "carol@example.com", std::nullopt);
    Contact no_mail = card("card-d", std::nullopt, std::nullopt, "D", std::nullopt, std::nullopt);
    auto bob =
        entry({{"uid", "bob"}, {"cn", "Bob New"}, {"sn", "New"}, {"mail", "bob@example.com"}});
    auto dave = entry({{"uid", "dave"}, {"cn", "Dave"}, {"mail", "dave@example.com"}});
    auto bad = entry({{"uid", "bad"}, {"mail", "bad mail@example.com"}});
    auto duplicate = entry({{"uid", "alice2"}, {"cn", "Other"}, {"mail", "ALICE@example.com"}});
    auto update =
        compute_member_update({alice(), bob, dave, bad, duplicate}, {same, stale, gone, no_mail});
    ASSERT_EQ(update.added.size(), 1u);
    EXPECT_EQ(update.added[0].uid, "dave");
    ASSERT_EQ(update.updated.size(), 1u);
    EXPECT_EQ(update.updated[0].uid, "card-b");  // the card keeps its UID
    EXPECT_EQ(update.updated[0].family_name, "New");
    ASSERT_EQ(update.deleted.size(), 1u);
    EXPECT_EQ(update.deleted[0].uid, "card-c");
    EXPECT_EQ(update.invalid, std::vector<std::string>{"bad mail@example.com"});
}

TEST(DomainMemberUpdate, ADisplayNameOrPhoneChangeIsAnUpdate) {
    Contact existing = *contact_of(alice(), "card-a");
    existing.display_name = "Someone else";
    EXPECT_EQ(compute_member_update({alice()}, {existing}).updated.size(), 1u);
    existing = *contact_of(alice(), "card-a");
    existing.phone.reset();
    EXPECT_EQ(compute_member_update({alice()}, {existing}).updated.size(), 1u);
    existing = *contact_of(alice(), "card-a");
    auto none = compute_member_update({alice()}, {existing});
    EXPECT_TRUE(none.added.empty() && none.updated.empty() && none.deleted.empty());
}
