// The OIDC flow of one request (ngx_module/core/oidc_flow.hpp) through every branch, with a
// fake first level: hits, expiry, audiences, the revocation window, the negative cache,
// followers, Redis, the identity provider's answers (outage, refusal, timeout) and provisioning.

#include "ngx_module/core/oidc_flow.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

namespace twake::edge {
namespace {

constexpr int64_t kNow = 1'767'222'000'000;   // ms
constexpr int64_t kExp = kNow / 1000 + 3600;  // s

// A first level in a map, with the expiry rules of the real one (entries kept until ttl).
class FakeCache : public TokenCache {
  public:
    struct Entry {
        CachedToken token;
        int64_t until;
    };
    std::map<std::string, Entry> tokens;
    std::map<std::string, int64_t> refusals;
    std::map<std::string, std::string> redis_keys;  // first-level key → Redis digest
    int64_t last_ttl = 0;

    std::optional<TokenView> find_token(std::string_view digest, int64_t now) override {
        auto it = tokens.find(std::string(digest));
        if (it == tokens.end() || it->second.until <= now) {
            return std::nullopt;
        }
        const CachedToken& t = it->second.token;
        return TokenView{t.email, t.sid, t.exp, t.audiences, t.stored_at_ms};
    }
    bool refused(std::string_view digest, int64_t now) override {
        auto it = refusals.find(std::string(digest));
        return it != refusals.end() && it->second > now;
    }
    void store_token(std::string_view digest, std::string_view redis_digest,
                     const CachedToken& token, int64_t ttl, int64_t now) override {
        CachedToken copy = token;
        copy.stored_at_ms = now;
        tokens[std::string(digest)] = {copy, now + ttl};
        redis_keys[std::string(digest)] = std::string(redis_digest);
        last_ttl = ttl;
    }
    void store_refusal(std::string_view digest, int64_t ttl, int64_t now) override {
        refusals[std::string(digest)] = now + ttl;
    }
    size_t evict_sid(const std::string& sid) override {
        return std::erase_if(tokens, [&](const auto& e) { return e.second.token.sid == sid; });
    }
    void evict_token(const std::string&) override {}
    std::optional<std::string> find_basic(const std::string&, int64_t) override { return {}; }
    void store_basic(const std::string&, const std::string&, int64_t, int64_t) override {}
    std::optional<LinkView> find_link(std::string_view, int64_t) override { return {}; }
    void store_link(std::string_view, std::string_view, std::string_view, int64_t,
                    int64_t) override {}
    bool domain_known(const std::string&, int64_t) override { return false; }
    void store_domain(const std::string&, int64_t, int64_t) override {}
};

const std::string kToken = "opaque-access-token";
const std::string kIntrospection =
    R"({"active":true,"exp":)" + std::to_string(kExp) + R"(,"aud":"tcalendar","sid":"s1"})";
const std::string kUserinfo = R"({"email":"Alice@Example.com","sid":"s1"})";

class OidcFlowTest : public ::testing::Test {
  protected:
    OidcFlowSettings settings;
    FakeCache cache;
    FirstLevelTrust trust;

    OidcFlowTest() {
        settings.oidc.audiences = {"tcalendar"};
        trust.subscribed(0);
    }
    OidcFlow flow(OidcCalls calls = {}) { return OidcFlow(settings, calls, cache, &trust, kToken); }
    void cached(const std::string& audiences = "tcalendar", int64_t exp = kExp,
                int64_t stored_at = kNow) {
        OidcFlow f = flow();
        cache.store_token(f.digest(), f.redis_digest(),
                          CachedToken{"alice@example.com", "s1", exp, audiences}, 60'000,
                          stored_at);
    }
    // Takes a flow that leads its flight to the identity provider's answer.
    OidcFlow::Step to_identity_provider(OidcFlow& f) {
        EXPECT_EQ(f.start(kNow), OidcFlow::Step::JoinFlight);
        return f.joined(true, false);
    }
};

using Step = OidcFlow::Step;
using Kind = TokenOutcome::Kind;

TEST_F(OidcFlowTest, AFirstLevelHitAnswersAtOnceWithViewsOfTheEntry) {
    cached();
    OidcFlow f = flow();
    ASSERT_EQ(f.start(kNow), Step::Answer);
    EXPECT_TRUE(f.answered_from_first_level());
    EXPECT_EQ(f.hit().email, "alice@example.com");
    EXPECT_EQ(f.hit().sid, "s1");
    EXPECT_FALSE(f.leading());
}

TEST_F(OidcFlowTest, AnExpiredOrForeignEntryIsLookedUpAgain) {
    cached("tcalendar", kNow / 1000 - 1);
    EXPECT_EQ(flow().start(kNow), Step::JoinFlight);
    cached("othercalendar;other");
    EXPECT_EQ(flow().start(kNow), Step::JoinFlight);
    cached("other;tcalendar");
    EXPECT_EQ(flow().start(kNow), Step::Answer);
}

TEST_F(OidcFlowTest, AnEntryIsNotTrustedWhileARevocationCouldHaveBeenMissed) {
    cached("tcalendar", kExp, kNow - 20'000);
    trust.unsubscribed();  // the feed went down: entries older than 10 s are looked up again
    EXPECT_EQ(flow().start(kNow), Step::JoinFlight);
    cached("tcalendar", kExp, kNow - 5'000);
    EXPECT_EQ(flow().start(kNow), Step::Answer);
}

TEST_F(OidcFlowTest, TheFirstLevelOffReadsNothingThere) {
    cached();
    settings.first_level = false;
    EXPECT_EQ(flow().start(kNow), Step::JoinFlight);
}

TEST_F(OidcFlowTest, ARecentRefusalIsA401WithoutAnyCall) {
    OidcFlow first = flow();
    ASSERT_EQ(to_identity_provider(first), Step::CallIdentityProvider);
    ASSERT_EQ(first.identity_provider_answered(200, R"({"active":false})", 401, "", kNow),
              Step::Answer);
    EXPECT_EQ(first.outcome().kind, Kind::Refused);
    OidcFlow again = flow();
    ASSERT_EQ(again.start(kNow + 1000), Step::Answer);
    EXPECT_EQ(again.outcome().kind, Kind::Refused);
    EXPECT_EQ(again.outcome().details, "Token is not active");
    // The negative entry lasts twake_calendar_negative_ttl.
    EXPECT_EQ(flow().start(kNow + settings.negative_ttl_ms), Step::JoinFlight);
}

TEST_F(OidcFlowTest, AFollowerTakesItsLeadersOutcome) {
    OidcFlow f = flow();
    ASSERT_EQ(f.start(kNow), Step::JoinFlight);
    ASSERT_EQ(f.joined(false, true), Step::AwaitLeader);
    TokenOutcome landed;
    landed.kind = Kind::Valid;
    landed.token = CachedToken{"alice@example.com", "s1", kExp, "tcalendar"};
    landed.level = CacheLevel::Idp;
    ASSERT_EQ(f.leader_landed(landed, kNow), Step::Answer);
    EXPECT_EQ(f.outcome().token.email, "alice@example.com");
    EXPECT_FALSE(f.leading());
}

TEST_F(OidcFlowTest, AFollowerWhoseLeaderWentAwayLooksAgain) {
    OidcFlow f = flow();
    ASSERT_EQ(f.start(kNow), Step::JoinFlight);
    ASSERT_EQ(f.joined(false, true), Step::AwaitLeader);
    EXPECT_EQ(f.leader_landed(TokenOutcome{}, kNow), Step::JoinFlight);
    OidcFlow g = flow();
    ASSERT_EQ(g.start(kNow), Step::JoinFlight);
    ASSERT_EQ(g.joined(false, true), Step::AwaitLeader);
    cached();  // meanwhile another request stored it
    EXPECT_EQ(g.leader_landed(TokenOutcome{}, kNow), Step::Answer);
    EXPECT_TRUE(g.answered_from_first_level());
}

TEST_F(OidcFlowTest, ARedisEntryIsUsedAndKeptInTheFirstLevel) {
    OidcFlow f = flow();
    ASSERT_EQ(f.start(kNow), Step::JoinFlight);
    ASSERT_EQ(f.joined(true, true), Step::ReadRedis);
    EXPECT_EQ(f.redis_digest().size(), 64u);  // SHA-512
    ASSERT_EQ(f.redis_answered(CachedToken{"alice@example.com", "s1", kExp, "tcalendar"}, kNow),
              Step::Answer);
    EXPECT_EQ(f.outcome().kind, Kind::Valid);
    EXPECT_EQ(f.outcome().level, CacheLevel::Redis);
    EXPECT_TRUE(f.leading());
    EXPECT_EQ(cache.last_ttl, settings.cache_ttl_ms);
    EXPECT_EQ(cache.redis_keys[std::string(f.digest())], f.redis_digest());
    EXPECT_FALSE(f.redis_ttl_seconds());  // it came from Redis: nothing to write back
}

TEST_F(OidcFlowTest, ARedisMissTimeoutOrUnusableEntryAsksTheIdentityProvider) {
    for (auto answer :
         {std::optional<CachedToken>(),
          std::optional(CachedToken{"alice@example.com", "s1", kNow / 1000 - 5, "tcalendar"}),
          std::optional(CachedToken{"alice@example.com", "s1", kExp, "other"})}) {
        OidcFlow f = flow();
        ASSERT_EQ(f.start(kNow), Step::JoinFlight);
        ASSERT_EQ(f.joined(true, true), Step::ReadRedis);
        EXPECT_EQ(f.redis_answered(answer, kNow), Step::CallIdentityProvider);
    }
    EXPECT_TRUE(cache.tokens.empty());
}

TEST_F(OidcFlowTest, RedisDownGoesStraightToTheIdentityProvider) {
    OidcFlow f = flow();
    EXPECT_EQ(to_identity_provider(f), Step::CallIdentityProvider);
}

TEST_F(OidcFlowTest, NoIdentityProviderConfiguredIsAnOutage) {
    OidcFlow f = flow(OidcCalls{false, true});
    ASSERT_EQ(to_identity_provider(f), Step::Answer);
    EXPECT_EQ(f.outcome().kind, Kind::Unavailable);
    OidcFlow g = flow(OidcCalls{false, true});
    ASSERT_EQ(g.start(kNow), Step::JoinFlight);
    ASSERT_EQ(g.joined(true, true), Step::ReadRedis);
    EXPECT_EQ(g.redis_answered(std::nullopt, kNow), Step::Answer);
    EXPECT_EQ(g.outcome().kind, Kind::Unavailable);
}

TEST_F(OidcFlowTest, AnIdentityProviderOutageOrTimeoutCachesNothing) {
    for (int status : {0, 500, 503}) {
        OidcFlow f = flow();
        ASSERT_EQ(to_identity_provider(f), Step::CallIdentityProvider);
        ASSERT_EQ(f.identity_provider_answered(status, "", 200, kUserinfo, kNow), Step::Answer);
        EXPECT_EQ(f.outcome().kind, Kind::Unavailable);
        EXPECT_TRUE(f.leading());  // followers get the 503 too
    }
    EXPECT_TRUE(cache.tokens.empty());
    EXPECT_TRUE(cache.refusals.empty());
}

TEST_F(OidcFlowTest, AValidTokenIsProvisionedThenCachedInBothLevels) {
    OidcFlow f = flow();
    ASSERT_EQ(to_identity_provider(f), Step::CallIdentityProvider);
    ASSERT_EQ(f.identity_provider_answered(200, kIntrospection, 200, kUserinfo, kNow),
              Step::Provision);
    EXPECT_EQ(f.resolution().info.email, "alice@example.com");
    EXPECT_TRUE(cache.tokens.empty());  // not before the user exists
    ASSERT_EQ(f.provisioned(200, R"({"id":"x","created":true})", kNow), Step::Answer);
    EXPECT_EQ(f.outcome().kind, Kind::Valid);
    EXPECT_EQ(f.outcome().level, CacheLevel::Idp);
    EXPECT_EQ(f.outcome().token.audiences, "tcalendar");
    EXPECT_EQ(cache.tokens.size(), 1u);
    EXPECT_EQ(f.redis_ttl_seconds(), settings.cache_ttl_ms / 1000);
}

TEST_F(OidcFlowTest, ATokenAboutToExpireIsKeptOnlyUntilItsExpiry) {
    std::string soon =
        R"({"active":true,"exp":)" + std::to_string(kNow / 1000 + 42) + R"(,"aud":"tcalendar"})";
    OidcFlow f = flow(OidcCalls{true, false});
    ASSERT_EQ(to_identity_provider(f), Step::CallIdentityProvider);
    ASSERT_EQ(f.identity_provider_answered(200, soon, 200, kUserinfo, kNow), Step::Answer);
    EXPECT_EQ(f.redis_ttl_seconds(), 42);
}

TEST_F(OidcFlowTest, WhileTheFeedIsDownTheFirstLevelKeepsEntries10Seconds) {
    trust.unsubscribed();
    OidcFlow f = flow();
    ASSERT_EQ(to_identity_provider(f), Step::CallIdentityProvider);
    ASSERT_EQ(f.identity_provider_answered(200, kIntrospection, 200, kUserinfo, kNow),
              Step::Provision);
    ASSERT_EQ(f.provisioned(200, "{}", kNow), Step::Answer);
    EXPECT_EQ(cache.last_ttl, FirstLevelTrust::kUntrustedTtlMs);
}

TEST_F(OidcFlowTest, ARefusedProvisioningIsA403WithTheWorkersReason) {
    OidcFlow f = flow();
    ASSERT_EQ(to_identity_provider(f), Step::CallIdentityProvider);
    ASSERT_EQ(f.identity_provider_answered(200, kIntrospection, 200, kUserinfo, kNow),
              Step::Provision);
    ASSERT_EQ(f.provisioned(
                  403, R"({"error":{"code":403,"details":"Domain example.com is not registered"}})",
                  kNow),
              Step::Answer);
    EXPECT_EQ(f.outcome().kind, Kind::Forbidden);
    EXPECT_EQ(f.outcome().details, "Domain example.com is not registered");
    EXPECT_TRUE(cache.tokens.empty());
}

TEST_F(OidcFlowTest, AFailedProvisioningIsAnOutageThatCachesNothing) {
    for (int status : {0, 401, 500, 502, 504}) {
        OidcFlow f = flow();
        ASSERT_EQ(to_identity_provider(f), Step::CallIdentityProvider);
        ASSERT_EQ(f.identity_provider_answered(200, kIntrospection, 200, kUserinfo, kNow),
                  Step::Provision);
        ASSERT_EQ(f.provisioned(status, "", kNow), Step::Answer);
        EXPECT_EQ(f.outcome().kind, Kind::Unavailable);
        EXPECT_EQ(f.outcome().details, "User provisioning unavailable");
    }
    EXPECT_TRUE(cache.tokens.empty());
}

TEST_F(OidcFlowTest, ARevocationDuringALookupIsNotUndone) {
    // The session is logged out while its token is being looked up: the Redis entry is gone
    // (a miss) and the identity provider says inactive, so the token is refused and remembered.
    cached();
    cache.evict_sid("s1");
    OidcFlow f = flow();
    ASSERT_EQ(f.start(kNow), Step::JoinFlight);
    ASSERT_EQ(f.joined(true, true), Step::ReadRedis);
    ASSERT_EQ(f.redis_answered(std::nullopt, kNow), Step::CallIdentityProvider);
    ASSERT_EQ(f.identity_provider_answered(200, R"({"active":false})", 401, "", kNow),
              Step::Answer);
    EXPECT_EQ(f.outcome().kind, Kind::Refused);
    EXPECT_TRUE(cache.tokens.empty());
    EXPECT_EQ(flow().start(kNow), Step::Answer);  // the negative entry
}

}  // namespace
}  // namespace twake::edge
