// The consumer framework's pure rules: backoff, outcome classification, dead-letter headers,
// queue names and arguments (docs/reference/rabbitmq.md §5, §6).

#include <gtest/gtest.h>

#include <algorithm>

#include "worker/amqp/dead_letter.hpp"
#include "worker/amqp/handler_outcome.hpp"
#include "worker/amqp/retry_policy.hpp"
#include "worker/amqp/topology.hpp"

using namespace twake::amqp;
using std::chrono::milliseconds;

TEST(RetryPolicy, DoublesTheDelayFromTheFirstOneUpToTheCap) {
    RetryPolicy p;
    p.first_delay = milliseconds(500);
    p.max_delay = milliseconds(3000);
    EXPECT_EQ(p.delay_before(1), milliseconds(500));
    EXPECT_EQ(p.delay_before(2), milliseconds(1000));
    EXPECT_EQ(p.delay_before(3), milliseconds(2000));
    EXPECT_EQ(p.delay_before(4), milliseconds(3000));
    EXPECT_EQ(p.delay_before(1000), milliseconds(3000));  // no overflow
}

TEST(RetryPolicy, DefaultsAreThreeRetriesAfterOneTwoAndFourSeconds) {
    RetryPolicy p;
    EXPECT_TRUE(p.retries_left(1));
    EXPECT_TRUE(p.retries_left(3));
    EXPECT_FALSE(p.retries_left(4));
    EXPECT_EQ(p.delay_before(1), milliseconds(1000));
    EXPECT_EQ(p.delay_before(3), milliseconds(4000));
}

TEST(RetryPolicy, NoRetriesDeadLettersTheFirstFailure) {
    RetryPolicy p;
    p.max_retries = 0;
    EXPECT_FALSE(p.retries_left(1));
}

TEST(HandlerOutcome, APoisonExceptionIsPoisonAnyOtherIsRetryable) {
    auto poison = classify(std::make_exception_ptr(PoisonMessage("no uid")));
    EXPECT_EQ(poison.kind, HandlerOutcome::Kind::Poison);
    EXPECT_EQ(poison.reason, "no uid");
    auto retry = classify(std::make_exception_ptr(std::runtime_error("DAV answered 503")));
    EXPECT_EQ(retry.kind, HandlerOutcome::Kind::Retryable);
    EXPECT_EQ(retry.reason, "DAV answered 503");
    EXPECT_EQ(classify(std::make_exception_ptr(42)).kind, HandlerOutcome::Kind::Retryable);
}

TEST(DeadLetter, HeadersNameTheReasonTheQueueAndTheAttempts) {
    auto headers = dead_letter_headers("tcalendar:itip:localDelivery", "bad body", 1);
    ASSERT_EQ(headers.size(), 3u);
    EXPECT_EQ(headers[0].key, "x-twake-dead-letter-reason");
    EXPECT_EQ(std::get<std::string>(headers[0].value), "bad body");
    EXPECT_EQ(headers[1].key, "x-twake-dead-letter-queue");
    EXPECT_EQ(std::get<std::string>(headers[1].value), "tcalendar:itip:localDelivery");
    EXPECT_EQ(headers[2].key, "x-twake-attempts");
    EXPECT_EQ(std::get<std::int32_t>(headers[2].value), 1);
}

TEST(DeadLetter, AnEmptyReasonSaysUnknownAndALongOneIsCutOnACharacterBoundary) {
    EXPECT_EQ(std::get<std::string>(dead_letter_headers("q", "", 1)[0].value), "unknown");
    std::string reason = std::string(kMaxReasonBytes - 1, 'a') + "é";  // é straddles the cut
    std::string cut = std::get<std::string>(dead_letter_headers("q", reason, 1)[0].value);
    EXPECT_EQ(cut, std::string(kMaxReasonBytes - 1, 'a'));
}

TEST(DeadLetter, AnExhaustedMessageSaysHowOftenItFailed) {
    EXPECT_EQ(exhausted_reason("timeout", 4), "failed 4 times; last error: timeout");
}

TEST(Topology, DeadLetterNamesFollowUpstream) {
    auto search = with_dash_dead_letter("calendar:event:created", "tcalendar:event:created:search");
    EXPECT_EQ(search.dead_letter, "tcalendar:event:created:search-dead-letter");
    auto itip =
        with_colon_dead_letter("calendar:itip:localDelivery", "tcalendar:itip:localDelivery");
    EXPECT_EQ(itip.dead_letter, "tcalendar:itip:localDelivery:dead-letter");
}

TEST(Topology, EveryQueueIsFedByADeclaredExchange) {
    const auto& exchanges = calendar_exchanges();
    ASSERT_EQ(calendar_queues().size(), 13u);
    for (const auto& q : calendar_queues()) {
        EXPECT_NE(std::find(exchanges.begin(), exchanges.end(), q.exchange), exchanges.end())
            << q.exchange;
    }
}

TEST(Topology, QueuesAreClassicVersionTwoAndWorkQueuesNameTheirDeadLetterExchange) {
    auto dead = dead_letter_queue_arguments();
    ASSERT_EQ(dead.size(), 1u);
    EXPECT_EQ(dead[0].key, "x-queue-version");
    EXPECT_EQ(std::get<std::int32_t>(dead[0].value), 2);
    auto work = work_queue_arguments(calendar_queues()[8]);
    ASSERT_EQ(work.size(), 2u);
    EXPECT_EQ(work[1].key, "x-dead-letter-exchange");
    EXPECT_EQ(std::get<std::string>(work[1].value), "tcalendar:itip:localDelivery:dead-letter");
}
