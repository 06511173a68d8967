// The WebSocket protocol's pure rules: registrable paths, client messages and their checks,
// the server's message shapes (docs/reference/realtime.md §2).

#include <gtest/gtest.h>

#include "worker/realtime/client_message.hpp"
#include "worker/realtime/collection_path.hpp"
#include "worker/realtime/server_messages.hpp"

using namespace twake::realtime;

TEST(CollectionPath, AcceptsExactlyACalendarOrAnAddressBook) {
    auto calendar = parse_collection_path("/calendars/6620a1b2/6620a1b2");
    ASSERT_TRUE(calendar);
    EXPECT_EQ(calendar->kind, CollectionKind::Calendar);
    EXPECT_EQ(calendar->path(), "/calendars/6620a1b2/6620a1b2");
    EXPECT_EQ(calendar->key(), "calendar:6620a1b2:6620a1b2");

    auto book = parse_collection_path("/addressbooks/6620a1b2/collected/");
    ASSERT_TRUE(book);
    EXPECT_EQ(book->kind, CollectionKind::AddressBook);
    EXPECT_EQ(book->path(), "/addressbooks/6620a1b2/collected");
    EXPECT_EQ(book->key(), "addressbook:6620a1b2:collected");
}

TEST(CollectionPath, RefusesWhatIsNotExactlyACollection) {
    for (const char* bad :
         {"", "/", "calendars/a/b", "/calendars/a", "/calendars/a/b/x.ics", "/calendars/a/b//",
          "/calendars//b", "/principals/a/b", "/calendars/a/..", "/calendars/./b",
          "/calendars/a/b c", "/calendars/a/b?x", "/calendars/a/b#x", "/calendars/a:b/c",
          "/Calendars/a/b", "/calendars/a/\x01"}) {
        EXPECT_FALSE(parse_collection_path(bad)) << bad;
    }
}

TEST(CollectionPath, TheCalendarOfAnObjectPath) {
    auto calendar = calendar_of_object_path("/calendars/h/c/a0b5a363.ics");
    ASSERT_TRUE(calendar);
    EXPECT_EQ(calendar->path(), "/calendars/h/c");
    EXPECT_FALSE(calendar_of_object_path("/calendars/h/c"));
    EXPECT_FALSE(calendar_of_object_path("/calendars/h/c/"));
    EXPECT_FALSE(calendar_of_object_path("/addressbooks/h/c/x.vcf"));
    EXPECT_FALSE(calendar_of_object_path("/calendars/h/c/x.ics/y"));
}

TEST(CollectionPath, KeysRoundTrip) {
    auto path = parse_collection_key("calendar:h:c");
    ASSERT_TRUE(path);
    EXPECT_EQ(path->path(), "/calendars/h/c");
    EXPECT_EQ(parse_collection_key("addressbook:h:b")->path(), "/addressbooks/h/b");
    EXPECT_FALSE(parse_collection_key("username:bob@example.com"));
    EXPECT_FALSE(parse_collection_key("calendar:h"));
}

TEST(ClientMessage, RegisterEntriesSkipNonStringsAndCollapseDuplicates) {
    auto message = parse_client_message(
        R"({"register":["/calendars/a/b",1,null,"/calendars/a/b","/calendars/a/c"],"unregister":"x"})");
    auto* request = std::get_if<RegisterRequest>(&message);
    ASSERT_TRUE(request);
    EXPECT_EQ(request->add, (std::vector<std::string>{"/calendars/a/b", "/calendars/a/c"}));
    EXPECT_TRUE(request->remove.empty());
}

TEST(ClientMessage, DisplayNotificationIsOnlyThatRequest) {
    auto on = parse_client_message(R"({"enableDisplayNotification":true,"register":["/x"]})");
    ASSERT_TRUE(std::holds_alternative<DisplayNotificationRequest>(on));
    EXPECT_TRUE(std::get<DisplayNotificationRequest>(on).enable);
    auto off = parse_client_message(R"({"enableDisplayNotification":false})");
    EXPECT_FALSE(std::get<DisplayNotificationRequest>(off).enable);
    EXPECT_TRUE(std::holds_alternative<InvalidMessage>(
        parse_client_message(R"({"enableDisplayNotification":"yes"})")));
}

TEST(ClientMessage, KeepaliveAndOtherValuesAreOther) {
    for (const char* text : {R"({"type":"ping","timestamp":1732158000000})", "{}", "[1,2]", "42",
                             "\"text\"", "null"}) {
        EXPECT_TRUE(std::holds_alternative<OtherMessage>(parse_client_message(text))) << text;
    }
    EXPECT_TRUE(std::holds_alternative<InvalidMessage>(parse_client_message("not json")));
    EXPECT_TRUE(std::holds_alternative<InvalidMessage>(parse_client_message("")));
}

TEST(ClientMessage, NullMembersAreEmptyRegisterRequests) {
    auto message = parse_client_message(R"({"register":null})");
    auto* request = std::get_if<RegisterRequest>(&message);
    ASSERT_TRUE(request);
    EXPECT_TRUE(request->add.empty());
    EXPECT_TRUE(request->remove.empty());
}

TEST(CheckRegister, NormalisesAndRefusesBadPathsOrDuplicatedEntries) {
    auto ok = check_register({{"/calendars/a/b/", "/calendars/a/b"}, {"/addressbooks/a/c"}});
    auto* checked = std::get_if<CheckedRegister>(&ok);
    ASSERT_TRUE(checked);
    ASSERT_EQ(checked->add.size(), 1u);
    EXPECT_EQ(checked->add[0].path(), "/calendars/a/b");
    EXPECT_EQ(checked->remove[0].path(), "/addressbooks/a/c");

    auto bad = check_register({{"/calendars/a/b/x.ics"}, {}});
    EXPECT_EQ(std::get<std::string_view>(bad), kInvalidRequest);
    auto both = check_register({{"/calendars/a/b"}, {"/calendars/a/b/"}});
    EXPECT_EQ(std::get<std::string_view>(both), kDuplicatedEntries);
}

TEST(ServerMessages, RegisterReplyOmitsEmptyMembers) {
    EXPECT_EQ(RegisterReply{}.to_json(), "{}");
    RegisterReply reply;
    reply.registered = {"/calendars/a/a"};
    reply.not_registered["/calendars/b/work"] = "Forbidden";
    reply.unregistered = {"/addressbooks/a/collected"};
    EXPECT_EQ(
        reply.to_json(),
        R"({"registered":["/calendars/a/a"],"notRegistered":{"/calendars/b/work":"Forbidden"},)"
        R"("unregistered":["/addressbooks/a/collected"]})");
}

TEST(ServerMessages, Shapes) {
    EXPECT_EQ(calendar_list_registered_message(), R"({"calendarListRegistered":true})");
    EXPECT_EQ(error_message(kInvalidRequest), R"({"error":"Invalid Request"})");
    EXPECT_EQ(display_notification_message(false), R"({"displayNotificationEnabled":false})");
    EXPECT_EQ(sync_token_message("/calendars/h/c", "http://sabre.io/ns/sync/5678"),
              R"({"/calendars/h/c":{"syncToken":"http://sabre.io/ns/sync/5678"}})");
    EXPECT_EQ(calendar_list_message("delegated", "/calendars/h/c"),
              R"({"calendarList":{"delegated":["/calendars/h/c"]}})");
    EXPECT_EQ(alarm_message({"Team Meeting", "/calendars/h/c/e.ics", "2025-01-15T10:00:00Z"}),
              R"({"alarms":[{"eventSummary":"Team Meeting","eventURL":"/calendars/h/c/e.ics",)"
              R"("eventStartTime":"2025-01-15T10:00:00Z"}]})");
}
