// Pushes as pure logic: coalescing of token fetches, the push bus's envelope, sync tokens read
// from esn-sabre's JSON, the push consumers' reading of esn-sabre's messages
// (docs/reference/realtime.md §3, §4).

#include <gtest/gtest.h>

#include "worker/amqp/handler_outcome.hpp"
#include "worker/amqp/push_notifications.hpp"
#include "worker/realtime/push_coalescer.hpp"
#include "worker/realtime/push_event.hpp"
#include "worker/realtime/sync_token.hpp"

using namespace twake::realtime;

TEST(PushCoalescer, ChangesDuringTheWaitShareOneFetch) {
    PushCoalescer c;
    EXPECT_TRUE(c.changed("k"));
    EXPECT_FALSE(c.changed("k"));
    EXPECT_FALSE(c.changed("k"));
    c.fetch_started("k");
    EXPECT_FALSE(c.fetch_finished("k"));
    EXPECT_EQ(c.pending(), 0u);
    EXPECT_TRUE(c.changed("k"));  // idle again: a new round
}

TEST(PushCoalescer, ChangesDuringTheFetchCauseExactlyOneMoreRound) {
    PushCoalescer c;
    ASSERT_TRUE(c.changed("k"));
    c.fetch_started("k");
    EXPECT_FALSE(c.changed("k"));
    EXPECT_FALSE(c.changed("k"));
    EXPECT_TRUE(c.fetch_finished("k"));  // one more round
    EXPECT_FALSE(c.changed("k"));        // absorbed by that round's wait
    c.fetch_started("k");
    EXPECT_FALSE(c.fetch_finished("k"));
}

TEST(PushCoalescer, KeysAreIndependent) {
    PushCoalescer c;
    EXPECT_TRUE(c.changed("alice\n/calendars/h/c"));
    EXPECT_TRUE(c.changed("bob\n/calendars/h/c"));
    EXPECT_EQ(c.pending(), 2u);
}

TEST(Envelope, RoundTripsEveryType) {
    std::vector<PushEvent> events = {
        PushEvent::collection_changed(*parse_collection_path("/calendars/h/c")),
        PushEvent::collection_changed(*parse_collection_path("/addressbooks/h/b")),
        PushEvent::calendar_list("bob@example.com", "delegated", "/calendars/h/c"),
        PushEvent::display_alarm("bob@example.com",
                                 {"Team", "/calendars/h/c/e.ics", "2025-01-15T10:00:00Z"}),
        PushEvent::session_revoked("sid-1"),
    };
    for (const auto& event : events) {
        auto decoded = decode_envelope(encode_envelope({"node-1", event}));
        ASSERT_TRUE(decoded) << encode_envelope({"node-1", event});
        EXPECT_EQ(decoded->node, "node-1");
        EXPECT_EQ(decoded->event.type, event.type);
        EXPECT_EQ(decoded->event.key, event.key);
        EXPECT_EQ(decoded->event.path, event.path);
        EXPECT_EQ(decoded->event.change, event.change);
        EXPECT_EQ(decoded->event.alarm.summary, event.alarm.summary);
        EXPECT_EQ(decoded->event.alarm.event_url, event.alarm.event_url);
        EXPECT_EQ(decoded->event.alarm.start_time, event.alarm.start_time);
        EXPECT_EQ(decoded->event.sid, event.sid);
    }
    EXPECT_FALSE(decode_envelope(
        R"({"v":1,"node":"n","key":"session:","event":{"type":"sessionRevoked","sid":""}})"));
}

TEST(Envelope, WireShape) {
    auto event = PushEvent::collection_changed(*parse_collection_path("/calendars/h/c"));
    EXPECT_EQ(
        encode_envelope({"n", event}),
        R"({"v":1,"node":"n","key":"calendar:h:c","event":{"type":"calendarChange","path":"/calendars/h/c"}})");
    EXPECT_EQ(PushEvent::calendar_list("bob@example.com", "created", "/calendars/h/c").user(),
              "bob@example.com");
    EXPECT_FALSE(event.user());
}

TEST(Envelope, RefusesOtherVersionsTypesAndMissingMembers) {
    EXPECT_FALSE(decode_envelope("nope"));
    EXPECT_FALSE(decode_envelope(
        R"({"v":2,"node":"n","key":"k","event":{"type":"calendarChange","path":"/p"}})"));
    EXPECT_FALSE(decode_envelope(
        R"({"v":1,"node":"n","key":"k","event":{"type":"somethingNew","sid":"s"}})"));
    EXPECT_FALSE(decode_envelope(
        R"({"v":1,"node":"n","key":"k","event":{"type":"calendarList","path":"/p"}})"));
    EXPECT_FALSE(
        decode_envelope(R"({"v":1,"key":"k","event":{"type":"calendarChange","path":"/p"}})"));
}

TEST(SyncToken, ReadFromEsnSabresJson) {
    EXPECT_EQ(token_from_json(R"({"calendarserver:ctag":"http://sabre.io/ns/sync/5678"})",
                              CollectionKind::Calendar),
              "http://sabre.io/ns/sync/5678");
    EXPECT_EQ(token_from_json(R"({"dav:syncToken":2})", CollectionKind::AddressBook), "2");
    EXPECT_EQ(token_from_json(R"({"dav:syncToken":"7"})", CollectionKind::AddressBook), "7");
    EXPECT_FALSE(token_from_json(R"({"calendarserver:ctag":""})", CollectionKind::Calendar));
    EXPECT_FALSE(token_from_json(R"({"dav:syncToken":2})", CollectionKind::Calendar));
    EXPECT_FALSE(token_from_json("<xml/>", CollectionKind::Calendar));
}

TEST(SyncToken, WhatAnAnswerMeans) {
    using O = TokenAnswer::Outcome;
    EXPECT_EQ(token_answer(200, R"({"calendarserver:ctag":"t"})", CollectionKind::Calendar).outcome,
              O::Token);
    EXPECT_EQ(token_answer(200, "{}", CollectionKind::Calendar).outcome, O::Error);
    EXPECT_EQ(token_answer(403, "", CollectionKind::Calendar).outcome, O::Forbidden);
    EXPECT_EQ(token_answer(404, "", CollectionKind::Calendar).outcome, O::NotFound);
    EXPECT_EQ(token_answer(500, "", CollectionKind::Calendar).outcome, O::Error);
    EXPECT_EQ(token_answer(401, "", CollectionKind::Calendar).outcome, O::Error);
}

namespace amqp = twake::amqp;

TEST(PushConsumers, EventMessagesNameTheirCalendar) {
    auto calendar = amqp::read_event_notification(
        R"({"eventPath":"/calendars/h/c/a0b5.ics","event":[],"connectedUser":null})");
    EXPECT_EQ(calendar.path(), "/calendars/h/c");
    EXPECT_THROW(amqp::read_event_notification(R"({"event":[]})"), amqp::PoisonMessage);
    EXPECT_THROW(amqp::read_event_notification(R"({"eventPath":"/calendars/h"})"),
                 amqp::PoisonMessage);
    EXPECT_THROW(amqp::read_event_notification("["), amqp::PoisonMessage);
}

TEST(PushConsumers, CalendarListChangeFromTheExchangeAndTheAccess) {
    auto change = [](const char* exchange, const char* body) {
        return amqp::read_calendar_list_notification(exchange, body).change;
    };
    const char* plain = R"({"calendarPath":"/calendars/h/c"})";
    const char* delegated =
        R"({"calendarPath":"/calendars/h/c","calendarProps":{"access":"dav:read"}})";
    EXPECT_EQ(change("calendar:calendar:created", plain), "created");
    EXPECT_EQ(change("calendar:calendar:created", delegated), "delegated");
    EXPECT_EQ(
        change(
            "calendar:calendar:created",
            R"({"calendarPath":"/calendars/h/c","calendarProps":{"access":"dav:administration"}})"),
        "delegated");
    EXPECT_EQ(
        change("calendar:calendar:created",
               R"({"calendarPath":"/calendars/h/c","calendarProps":{"access":"dav:noaccess"}})"),
        "created");
    EXPECT_EQ(change("calendar:calendar:updated", plain), "updated");
    EXPECT_EQ(change("calendar:subscription:updated", plain), "updated");
    EXPECT_EQ(change("calendar:calendar:deleted", plain), "deleted");
    EXPECT_EQ(change("calendar:subscription:deleted", plain), "deleted");
    EXPECT_EQ(change("calendar:subscription:created", plain), "subscribed");
    auto read = amqp::read_calendar_list_notification("calendar:calendar:created",
                                                      R"({"calendarPath":"calendars/h/c"})");
    EXPECT_EQ(read.calendar.path(), "/calendars/h/c");
    EXPECT_EQ(read.calendar.home, "h");
    EXPECT_THROW(amqp::read_calendar_list_notification("calendar:calendar:created", "{}"),
                 amqp::PoisonMessage);
    EXPECT_THROW(amqp::read_calendar_list_notification("other", plain), amqp::PoisonMessage);
}

TEST(PushConsumers, QueueNamesAreUpstreams) {
    const auto& queues = amqp::event_notification_queues();
    ASSERT_EQ(queues.size(), 6u);
    EXPECT_EQ(queues[0].exchange, "calendar:event:created");
    EXPECT_EQ(queues[0].queue, "tcalendar:event:created:notification");
    EXPECT_EQ(queues[0].dead_letter, "tcalendar:event:created:notification-dead-letter");
    const auto& list = amqp::calendar_list_notification_queue();
    EXPECT_EQ(list.queue, "tcalendar:calendar:list:notification");
    EXPECT_EQ(list.dead_letter, "tcalendar:calendar:list:notification:dead-letter");
    EXPECT_EQ(list.more_exchanges.size() + 1, 6u);
}
