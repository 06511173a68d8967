#include "ngx_module/core/first_level_trust.hpp"

#include <gtest/gtest.h>

using twake::edge::FirstLevelTrust;

namespace {
constexpr int64_t kMinute = 60 * 1000;
constexpr int64_t kTtl = 5 * kMinute;
}  // namespace

TEST(FirstLevelTrust, BeforeAnySubscriptionEntriesLiveTenSeconds) {
    FirstLevelTrust t;
    EXPECT_FALSE(t.live());
    EXPECT_EQ(t.cap_ttl(kTtl), 10'000);
    EXPECT_TRUE(t.trusts(1'000, 11'000));
    EXPECT_FALSE(t.trusts(1'000, 11'001));
}

TEST(FirstLevelTrust, SubscribedTrustsEveryEntryForItsTtl) {
    FirstLevelTrust t;
    t.subscribed(5'000);
    EXPECT_TRUE(t.live());
    EXPECT_EQ(t.cap_ttl(kTtl), kTtl);
    // Entries stored before the first subscription (a previous process, a reload) are kept:
    // nothing was missed by this process.
    EXPECT_TRUE(t.trusts(0, 4 * kMinute));
}

TEST(FirstLevelTrust, WhileDownNewAndOldEntriesAreCapped) {
    FirstLevelTrust t;
    t.subscribed(0);
    t.unsubscribed();
    EXPECT_EQ(t.cap_ttl(kTtl), 10'000);
    EXPECT_EQ(t.cap_ttl(3'000), 3'000);
    EXPECT_TRUE(t.trusts(100'000, 105'000));
    EXPECT_FALSE(t.trusts(100'000, 110'001));
}

TEST(FirstLevelTrust, AfterAnOutageEntriesFromBeforeTheReturnAreCapped) {
    FirstLevelTrust t;
    t.subscribed(0);
    t.unsubscribed();
    t.subscribed(200'000);
    EXPECT_FALSE(t.trusts(150'000, 205'000));  // stored before: may have missed a revocation
    EXPECT_TRUE(t.trusts(199'000, 205'000));   // but young enough for the 10 s allowance
    EXPECT_TRUE(t.trusts(200'000, 200'000 + 4 * kMinute));  // stored after: trusted
    EXPECT_EQ(t.cap_ttl(kTtl), kTtl);
}
