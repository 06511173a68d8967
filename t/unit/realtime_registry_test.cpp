// The node's socket registry (docs/reference/realtime.md §3.2): who registered what, display
// subscriptions, the last token sent, and what a closing socket takes with it.

#include <gtest/gtest.h>

#include <algorithm>

#include "worker/realtime/connection_registry.hpp"

using namespace twake::realtime;

namespace {

struct FakeConnection : Connection {
    using Connection::Connection;
    bool send(std::string) override { return true; }
    void close_going_away(std::string_view) override {}
    void close_revoked() override {}
};

CollectionPath path(const char* text) {
    return *parse_collection_path(text);
}

}  // namespace

TEST(ConnectionRegistry, FindsRegisteredSocketsByUserAndPath) {
    ConnectionRegistry r;
    FakeConnection bob1("bob@example.com"), bob2("bob@example.com"), alice("alice@example.com");
    r.add(bob1);
    r.add(bob2);
    r.add(alice);
    r.register_path(bob1, path("/calendars/h/c"), "t1");
    r.register_path(bob1, path("/calendars/h/c"), "t2");  // once
    r.register_path(alice, path("/calendars/h/c"));
    r.register_path(bob2, path("/addressbooks/h/b"));
    EXPECT_EQ(r.users_registered_to("/calendars/h/c"),
              (std::set<std::string>{"alice@example.com", "bob@example.com"}));
    EXPECT_EQ(r.registered_to("bob@example.com", "/calendars/h/c"),
              std::vector<Connection*>{&bob1});
    EXPECT_EQ(r.of_user("bob@example.com").size(), 2u);
    EXPECT_EQ(r.registration_count(bob1), 1u);
    EXPECT_EQ(r.calendars(), 2u);
    EXPECT_EQ(r.address_books(), 1u);
}

TEST(ConnectionRegistry, AClosedSocketTakesItsRegistrations) {
    ConnectionRegistry r;
    FakeConnection bob("bob@example.com");
    r.add(bob);
    r.register_path(bob, path("/calendars/h/c"));
    r.set_display(bob, true);
    r.remove(bob);
    EXPECT_EQ(r.size(), 0u);
    EXPECT_TRUE(r.users_registered_to("/calendars/h/c").empty());
    EXPECT_TRUE(r.of_user("bob@example.com").empty());
    EXPECT_EQ(r.calendars(), 0u);
    EXPECT_EQ(r.displays(), 0u);
    r.register_path(bob, path("/calendars/h/c"));  // a check that ended after the close
    EXPECT_EQ(r.calendars(), 0u);
}

TEST(ConnectionRegistry, UnregisteringIsIdempotent) {
    ConnectionRegistry r;
    FakeConnection bob("bob@example.com");
    r.add(bob);
    r.register_path(bob, path("/calendars/h/c"));
    r.unregister_path(bob, path("/calendars/h/c"));
    r.unregister_path(bob, path("/calendars/h/c"));
    EXPECT_FALSE(r.registered(bob, path("/calendars/h/c")));
    EXPECT_EQ(r.calendars(), 0u);
}

TEST(ConnectionRegistry, DisplaySubscriptionsCountOnce) {
    ConnectionRegistry r;
    FakeConnection bob1("bob@example.com"), bob2("bob@example.com");
    r.add(bob1);
    r.add(bob2);
    r.set_display(bob1, true);
    r.set_display(bob1, true);
    EXPECT_EQ(r.displays(), 1u);
    EXPECT_EQ(r.with_display("bob@example.com"), std::vector<Connection*>{&bob1});
    r.set_display(bob1, false);
    r.set_display(bob1, false);
    EXPECT_EQ(r.displays(), 0u);
}

TEST(ConnectionRegistry, ATokenIsSentOnceAndNotTheOneRegisteredWith) {
    ConnectionRegistry r;
    FakeConnection bob("bob@example.com");
    r.add(bob);
    r.register_path(bob, path("/calendars/h/c"), "t1");
    EXPECT_FALSE(r.token_is_new(bob, "/calendars/h/c", "t1"));
    EXPECT_TRUE(r.token_is_new(bob, "/calendars/h/c", "t2"));
    EXPECT_FALSE(r.token_is_new(bob, "/calendars/h/c", "t2"));
    EXPECT_FALSE(r.token_is_new(bob, "/calendars/h/other", "t3"));  // not registered
}
