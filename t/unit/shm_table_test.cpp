#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <new>
#include <optional>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>

#include "ngx_module/cache/shm_table.hpp"

using twake::edge::cache::Counters;
using twake::edge::cache::EntryKind;
using twake::edge::cache::Key;
using twake::edge::cache::key_from_digest;
using twake::edge::cache::kMaxEmail;
using twake::edge::cache::kMaxSid;
using twake::edge::cache::kMaxText;
using twake::edge::cache::NewEntry;
using twake::edge::cache::ShmTable;
using twake::edge::cache::TableLock;

namespace {

constexpr std::int64_t kNow = 1'700'000'000'000;  // epoch ms
constexpr std::size_t kMiB = 1024 * 1024;

// Stands in for the shared block: 8-byte aligned, like ngx_slab_alloc's pages.
struct Region {
    explicit Region(std::size_t bytes) : words((bytes + 7) / 8), size(bytes) {}
    void* base() { return words.data(); }
    std::vector<std::uint64_t> words;
    std::size_t size;
};

std::uint64_t splitmix(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// A pseudo-digest: 64 bytes derived from n.
Key key_of(std::uint64_t n) {
    Key key;
    std::uint64_t state = n * 0x2545f4914f6cdd1dULL + 1;
    for (std::size_t i = 0; i < key.size(); i += 8) {
        std::uint64_t word = splitmix(state);
        std::memcpy(key.data() + i, &word, 8);
    }
    return key;
}

// Keys whose probing starts at `home` in a table of `slots` slots.
std::vector<Key> keys_at_home(EntryKind kind, std::size_t home, std::size_t slots,
                              std::size_t count) {
    std::vector<Key> keys;
    for (std::uint64_t n = 1'000'000; keys.size() < count; ++n) {
        Key key = key_of(n);
        if (ShmTable::home_slot(kind, key, slots) == home) {
            keys.push_back(key);
        }
    }
    return keys;
}

NewEntry token(const Key& key, std::string_view email, std::string_view sid,
               std::int64_t expires_at_ms = kNow + 60'000) {
    return NewEntry{.kind = EntryKind::oidc_token,
                    .key = key,
                    .email = email,
                    .sid = sid,
                    .text = "tcalendar;account",
                    .exp_s = expires_at_ms / 1000 + 3600,
                    .expires_at_ms = expires_at_ms};
}

ShmTable fresh(Region& region) {
    return ShmTable::format(region.base(), region.size, {});
}

}  // namespace

TEST(ShmTable, SlotSizeAndCapacity) {
    EXPECT_EQ(ShmTable::kSlotSize, 1120u);
    EXPECT_LT(ShmTable::kSlotSize, 1331u);  // under ~1.3 KiB
    EXPECT_EQ(ShmTable::slots_for(0), 0u);
    EXPECT_EQ(ShmTable::slots_for(ShmTable::bytes_for(1) - 1), 0u);
    EXPECT_EQ(ShmTable::slots_for(ShmTable::bytes_for(1)), 1u);
    EXPECT_EQ(ShmTable::slots_for(ShmTable::bytes_for(777)), 777u);
    // The numbers quoted at the top of shm_table.hpp.
    EXPECT_EQ(ShmTable::slots_for(1 * kMiB), 936u);
    EXPECT_EQ(ShmTable::slots_for(10 * kMiB), 9362u);
    EXPECT_EQ(ShmTable::slots_for(64 * kMiB), 59918u);
    EXPECT_EQ(ShmTable::slots_for(100 * kMiB), 93622u);
}

TEST(ShmTable, KeyFromDigestPadsWithZeros) {
    Key key = key_from_digest("abc");
    EXPECT_EQ(key[0], 'a');
    EXPECT_EQ(key[2], 'c');
    for (std::size_t i = 3; i < key.size(); ++i) {
        EXPECT_EQ(key[i], 0) << i;
    }
    EXPECT_NO_THROW(key_from_digest(std::string(64, 'x')));
    EXPECT_THROW(key_from_digest(std::string(65, 'x')), std::invalid_argument);
}

TEST(ShmTable, FormatRefusesSmallOrMisalignedRegions) {
    Region region(4096);
    EXPECT_THROW(ShmTable::format(region.base(), ShmTable::bytes_for(1) - 1, {}),
                 std::invalid_argument);
    EXPECT_THROW(ShmTable::format(static_cast<char*>(region.base()) + 4, 2048, {}),
                 std::invalid_argument);
    EXPECT_THROW(ShmTable::format(nullptr, 4096, {}), std::invalid_argument);
    EXPECT_EQ(ShmTable::format(region.base(), region.size, {}).slot_count(), 3u);
}

TEST(ShmTable, DetachedHandleMissesAndRefuses) {
    ShmTable table;
    EXPECT_FALSE(table.lookup(EntryKind::oidc_token, key_of(1), kNow));
    EXPECT_FALSE(table.insert(token(key_of(1), "a@b.c", ""), kNow));
    EXPECT_FALSE(table.erase(EntryKind::oidc_token, key_of(1)));
    EXPECT_EQ(table.erase_sid("s"), 0u);
    EXPECT_EQ(table.size(), 0u);
}

TEST(ShmTable, InsertLookupReplace) {
    Region region(64 * 1024);
    ShmTable table = fresh(region);
    Key key = key_of(1);
    EXPECT_FALSE(table.lookup(EntryKind::oidc_token, key, kNow));

    ASSERT_TRUE(table.insert(token(key, "user1@open-paas.org", "sid-1", kNow + 30'000), kNow));
    auto found = table.lookup(EntryKind::oidc_token, key, kNow + 1);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->kind(), EntryKind::oidc_token);
    EXPECT_EQ(found->key(), key);
    EXPECT_EQ(found->email(), "user1@open-paas.org");
    EXPECT_EQ(found->sid(), "sid-1");
    EXPECT_EQ(found->text(), "tcalendar;account");
    EXPECT_EQ(found->exp_s(), (kNow + 30'000) / 1000 + 3600);
    EXPECT_EQ(found->expires_at_ms(), kNow + 30'000);
    EXPECT_EQ(found->stored_at_ms(), kNow);
    EXPECT_EQ(table.size(), 1u);

    // Same kind and key: replaced in place, shorter values included.
    ASSERT_TRUE(table.insert(token(key, "u2@x.org", "", kNow + 90'000), kNow + 5));
    found = table.lookup(EntryKind::oidc_token, key, kNow + 6);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->email(), "u2@x.org");
    EXPECT_EQ(found->sid(), "");
    EXPECT_EQ(found->expires_at_ms(), kNow + 90'000);
    EXPECT_EQ(found->stored_at_ms(), kNow + 5);
    EXPECT_EQ(table.size(), 1u);
    EXPECT_EQ(table.counters().replacements, 1u);
}

TEST(ShmTable, LookupIntoTheCallersStorage) {
    Region region(64 * 1024);
    ShmTable table = fresh(region);
    Key key = key_of(1);
    ASSERT_TRUE(table.insert(token(key, "user1@open-paas.org", "sid-1", kNow + 30'000), kNow));
    std::optional<twake::edge::cache::Entry> out;
    ASSERT_TRUE(table.lookup(EntryKind::oidc_token, key, kNow + 1, out));
    ASSERT_TRUE(out);
    EXPECT_EQ(out->email(), "user1@open-paas.org");
    EXPECT_EQ(out->sid(), "sid-1");
    // A miss leaves nothing of the previous hit behind.
    EXPECT_FALSE(table.lookup(EntryKind::oidc_token, key_of(2), kNow + 1, out));
    EXPECT_FALSE(out);
    EXPECT_EQ(table.counters().hits, 1u);
    EXPECT_EQ(table.counters().misses, 1u);
}

TEST(ShmTable, ExpiredEntryIsAMissAndItsSlotIsFreed) {
    Region region(64 * 1024);
    ShmTable table = fresh(region);
    ASSERT_TRUE(table.insert(token(key_of(1), "a@b.c", "s", kNow + 1000), kNow));
    EXPECT_TRUE(table.lookup(EntryKind::oidc_token, key_of(1), kNow + 999));
    EXPECT_FALSE(table.lookup(EntryKind::oidc_token, key_of(1), kNow + 1000));
    EXPECT_EQ(table.size(), 0u);
    Counters c = table.counters();
    EXPECT_EQ(c.hits, 1u);
    EXPECT_EQ(c.misses, 1u);
    EXPECT_EQ(c.expirations, 1u);
    // Gone for good, even if the clock went back.
    EXPECT_FALSE(table.lookup(EntryKind::oidc_token, key_of(1), kNow));
}

TEST(ShmTable, RefusesEntriesAlreadyExpiredOrOfUnknownKind) {
    Region region(64 * 1024);
    ShmTable table = fresh(region);
    EXPECT_FALSE(table.insert(token(key_of(1), "a@b.c", "", kNow), kNow));
    EXPECT_FALSE(table.insert(token(key_of(1), "a@b.c", "", kNow - 1), kNow));
    NewEntry odd = token(key_of(1), "a@b.c", "");
    odd.kind = static_cast<EntryKind>(0);
    EXPECT_FALSE(table.insert(odd, kNow));
    odd.kind = static_cast<EntryKind>(42);
    EXPECT_FALSE(table.insert(odd, kNow));
    EXPECT_EQ(table.size(), 0u);
    EXPECT_EQ(table.counters().rejected, 4u);
}

TEST(ShmTable, TooLongValuesAreRefusedNotTruncated) {
    Region region(64 * 1024);
    ShmTable table = fresh(region);
    std::string email(kMaxEmail, 'e');
    std::string sid(kMaxSid, 's');
    std::string text(kMaxText, 't');
    NewEntry entry{.kind = EntryKind::secret_link,
                   .key = key_of(1),
                   .email = email,
                   .sid = sid,
                   .text = text,
                   .exp_s = 0,
                   .expires_at_ms = kNow + 5000};
    ASSERT_TRUE(table.insert(entry, kNow));
    auto found = table.lookup(EntryKind::secret_link, key_of(1), kNow);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->email(), email);
    EXPECT_EQ(found->sid(), sid);
    EXPECT_EQ(found->text(), text);

    std::string longer_email = email + "x";
    std::string longer_sid = sid + "x";
    std::string longer_text = text + "x";
    for (int field = 0; field < 3; ++field) {
        NewEntry bad = entry;
        bad.key = key_of(2);
        if (field == 0) {
            bad.email = longer_email;
        } else if (field == 1) {
            bad.sid = longer_sid;
        } else {
            bad.text = longer_text;
        }
        EXPECT_FALSE(table.insert(bad, kNow)) << field;
        EXPECT_FALSE(table.lookup(EntryKind::secret_link, key_of(2), kNow)) << field;
    }
    // A refused replacement leaves the old entry alone.
    NewEntry bad = entry;
    bad.text = longer_text;
    EXPECT_FALSE(table.insert(bad, kNow));
    EXPECT_EQ(table.lookup(EntryKind::secret_link, key_of(1), kNow)->text(), text);
    EXPECT_EQ(table.counters().rejected, 4u);
}

TEST(ShmTable, KindsDoNotCollide) {
    Region region(64 * 1024);
    ShmTable table = fresh(region);
    Key key = key_of(7);
    const EntryKind kinds[] = {EntryKind::oidc_token, EntryKind::oidc_inactive,
                               EntryKind::basic_ldap, EntryKind::domain_exists,
                               EntryKind::secret_link};
    for (EntryKind kind : kinds) {
        std::string email = std::to_string(static_cast<int>(kind));
        NewEntry entry = token(key, email, "");
        entry.kind = kind;
        ASSERT_TRUE(table.insert(entry, kNow));
    }
    EXPECT_EQ(table.size(), 5u);
    for (EntryKind kind : kinds) {
        auto found = table.lookup(kind, key, kNow);
        ASSERT_TRUE(found);
        EXPECT_EQ(found->kind(), kind);
        EXPECT_EQ(found->email(), std::to_string(static_cast<int>(kind)));
    }
    EXPECT_TRUE(table.erase(EntryKind::oidc_inactive, key));
    EXPECT_FALSE(table.lookup(EntryKind::oidc_inactive, key, kNow));
    EXPECT_TRUE(table.lookup(EntryKind::oidc_token, key, kNow));
    EXPECT_TRUE(table.lookup(EntryKind::basic_ldap, key, kNow));
}

TEST(ShmTable, Erase) {
    Region region(64 * 1024);
    ShmTable table = fresh(region);
    ASSERT_TRUE(table.insert(token(key_of(1), "a@b.c", ""), kNow));
    ASSERT_TRUE(table.insert(token(key_of(2), "d@e.f", ""), kNow));
    EXPECT_TRUE(table.erase(EntryKind::oidc_token, key_of(1)));
    EXPECT_FALSE(table.erase(EntryKind::oidc_token, key_of(1)));
    EXPECT_FALSE(table.erase(EntryKind::oidc_inactive, key_of(2)));
    EXPECT_FALSE(table.lookup(EntryKind::oidc_token, key_of(1), kNow));
    EXPECT_EQ(table.lookup(EntryKind::oidc_token, key_of(2), kNow)->email(), "d@e.f");
    EXPECT_EQ(table.size(), 1u);
    EXPECT_EQ(table.counters().erasures, 1u);
}

TEST(ShmTable, EraseSidAcrossManyEntries) {
    Region region(ShmTable::bytes_for(4096));
    ShmTable table = fresh(region);
    const std::size_t count = 3000;
    for (std::size_t n = 0; n < count; ++n) {
        std::string sid = "sid-" + std::to_string(n % 10);
        ASSERT_TRUE(table.insert(token(key_of(n), "u@x.org", n % 7 == 0 ? "" : sid), kNow));
    }
    ASSERT_EQ(table.counters().evictions, 0u);
    std::size_t expected = 0;
    for (std::size_t n = 0; n < count; ++n) {
        expected += n % 10 == 3 && n % 7 != 0;
    }
    EXPECT_EQ(table.erase_sid("sid-3"), expected);
    EXPECT_EQ(table.erase_sid("sid-3"), 0u);
    EXPECT_EQ(table.erase_sid(""), 0u);  // sid-less entries are never revoked
    EXPECT_EQ(table.erase_sid("sid-"), 0u);
    EXPECT_EQ(table.size(), count - expected);
    for (std::size_t n = 0; n < count; ++n) {
        bool revoked = n % 10 == 3 && n % 7 != 0;
        EXPECT_EQ(table.lookup(EntryKind::oidc_token, key_of(n), kNow).has_value(), !revoked) << n;
    }
    EXPECT_EQ(table.counters().erasures, expected);
}

// No empty slot at all, one cluster around the whole ring: key i has its home at
// (slots - 3 + 2 * (i / 3)) % slots, so it sits i / 3 slots after its home and the cluster
// starts 3 slots before the end. Revoking every third key shifts entries across the wrap-around.
TEST(ShmTable, EraseSidInAFullTable) {
    const std::size_t slots = 42;
    Region region(ShmTable::bytes_for(slots));
    ShmTable table = fresh(region);
    std::vector<Key> keys;
    for (std::size_t i = 0; i < slots; ++i) {
        std::size_t home = (slots - 3 + 2 * (i / 3)) % slots;
        Key key = keys_at_home(EntryKind::oidc_token, home, slots, 1 + i % 3)[i % 3];
        ASSERT_TRUE(table.insert(token(key, "u@x.org", i % 3 == 0 ? "gone" : "kept"), kNow));
        keys.push_back(key);
    }
    ASSERT_EQ(table.size(), slots);
    ASSERT_EQ(table.counters().evictions, 0u);
    std::size_t expected = 0;
    for (std::size_t n = 0; n < keys.size(); ++n) {
        expected += n % 3 == 0;
    }
    EXPECT_EQ(table.erase_sid("gone"), expected);
    for (std::size_t n = 0; n < keys.size(); ++n) {
        EXPECT_EQ(table.lookup(EntryKind::oidc_token, keys[n], kNow).has_value(), n % 3 != 0) << n;
    }
    EXPECT_EQ(table.size(), slots - expected);
}

TEST(ShmTable, FullWindowEvictsTheEntryThatExpiresFirst) {
    const std::size_t slots = 64;
    const std::size_t w = ShmTable::kProbeWindow;
    Region region(ShmTable::bytes_for(slots));
    ShmTable table = fresh(region);
    auto keys = keys_at_home(EntryKind::oidc_token, 10, slots, w + 2);
    // Fill the window 10..10 + w - 1; the 6th key expires first.
    for (std::size_t n = 0; n < w; ++n) {
        std::int64_t expiry = kNow + (n == 5 ? 10'000 : 50'000 + 1000 * n);
        ASSERT_TRUE(table.insert(token(keys[n], "u" + std::to_string(n) + "@x", "", expiry), kNow));
    }
    EXPECT_EQ(table.counters().evictions, 0u);
    ASSERT_TRUE(table.insert(token(keys[w], "new@x", "", kNow + 40'000), kNow));
    EXPECT_EQ(table.counters().evictions, 1u);
    EXPECT_FALSE(table.lookup(EntryKind::oidc_token, keys[5], kNow));
    for (std::size_t n = 0; n < w; ++n) {
        if (n != 5) {
            EXPECT_TRUE(table.lookup(EntryKind::oidc_token, keys[n], kNow)) << n;
        }
    }
    EXPECT_EQ(table.lookup(EntryKind::oidc_token, keys[w], kNow)->email(), "new@x");

    // An expired entry in the window makes room before anything live is evicted.
    ASSERT_TRUE(table.insert(token(keys[w + 1], "newer@x", "", kNow + 60'000), kNow + 45'000));
    Counters c = table.counters();
    EXPECT_EQ(c.evictions, 1u);
    EXPECT_EQ(c.expirations, 1u);
    EXPECT_FALSE(table.lookup(EntryKind::oidc_token, keys[w], kNow + 45'000));
    for (std::size_t n = 0; n < w; ++n) {
        if (n != 5) {
            EXPECT_TRUE(table.lookup(EntryKind::oidc_token, keys[n], kNow + 45'000)) << n;
        }
    }
    EXPECT_TRUE(table.lookup(EntryKind::oidc_token, keys[w + 1], kNow + 45'000));
    EXPECT_EQ(table.size(), w);
}

// Ten keys at home 60 first, then thirty at home 41. First-come placement would fill 41..59,
// jump over 60..69 and put the last home-41 keys 32 or more slots from home (evictions). Robin
// Hood placement moves the home-60 keys on instead: 41..70 and 71..80, all within the window.
TEST(ShmTable, RobinHoodPlacementAvoidsEvictionsInCrowdedNeighbourhoods) {
    static_assert(ShmTable::kProbeWindow == 32, "the layout below assumes a 32-slot window");
    const std::size_t slots = 128;
    Region region(ShmTable::bytes_for(slots));
    ShmTable table = fresh(region);
    auto later = keys_at_home(EntryKind::oidc_token, 60, slots, 10);
    auto earlier = keys_at_home(EntryKind::oidc_token, 41, slots, 30);
    for (const Key& key : later) {
        ASSERT_TRUE(table.insert(token(key, "later@x", ""), kNow));
    }
    for (const Key& key : earlier) {
        ASSERT_TRUE(table.insert(token(key, "earlier@x", ""), kNow));
    }
    EXPECT_EQ(table.counters().evictions, 0u);
    EXPECT_EQ(table.size(), 40u);
    for (const Key& key : later) {
        EXPECT_EQ(table.lookup(EntryKind::oidc_token, key, kNow)->email(), "later@x");
    }
    for (const Key& key : earlier) {
        EXPECT_EQ(table.lookup(EntryKind::oidc_token, key, kNow)->email(), "earlier@x");
    }
    // Deleting from the middle of the mixed cluster keeps everything else reachable.
    for (std::size_t n = 0; n < 10; n += 3) {
        ASSERT_TRUE(table.erase(EntryKind::oidc_token, later[n]));
    }
    for (std::size_t n = 1; n < 30; n += 3) {
        ASSERT_TRUE(table.erase(EntryKind::oidc_token, earlier[n]));
    }
    for (std::size_t n = 0; n < 10; ++n) {
        EXPECT_EQ(table.lookup(EntryKind::oidc_token, later[n], kNow).has_value(), n % 3 != 0);
    }
    for (std::size_t n = 0; n < 30; ++n) {
        EXPECT_EQ(table.lookup(EntryKind::oidc_token, earlier[n], kNow).has_value(), n % 3 != 1);
    }
}

// A cluster of colliding keys that wraps around the end of the table, with deletions in the
// middle: backward shift must keep every remaining key reachable.
TEST(ShmTable, ProbingSurvivesDeletesAcrossTheWrapAround) {
    const std::size_t slots = 32;
    Region region(ShmTable::bytes_for(slots));
    ShmTable table = fresh(region);
    auto at_end = keys_at_home(EntryKind::oidc_token, slots - 3, slots, 10);
    auto at_start = keys_at_home(EntryKind::oidc_token, 1, slots, 4);
    for (const Key& key : at_end) {
        ASSERT_TRUE(table.insert(token(key, "end@x", ""), kNow));
    }
    for (const Key& key : at_start) {
        ASSERT_TRUE(table.insert(token(key, "start@x", ""), kNow));
    }
    for (std::size_t n : {0, 4, 5, 9}) {
        ASSERT_TRUE(table.erase(EntryKind::oidc_token, at_end[n]));
    }
    ASSERT_TRUE(table.erase(EntryKind::oidc_token, at_start[1]));
    for (std::size_t n = 0; n < at_end.size(); ++n) {
        bool erased = n == 0 || n == 4 || n == 5 || n == 9;
        EXPECT_EQ(table.lookup(EntryKind::oidc_token, at_end[n], kNow).has_value(), !erased) << n;
    }
    for (std::size_t n = 0; n < at_start.size(); ++n) {
        EXPECT_EQ(table.lookup(EntryKind::oidc_token, at_start[n], kNow).has_value(), n != 1) << n;
    }
    // Re-inserted keys are found again, and nothing is duplicated.
    ASSERT_TRUE(table.insert(token(at_end[4], "again@x", ""), kNow));
    ASSERT_TRUE(table.insert(token(at_end[6], "replaced@x", ""), kNow));
    EXPECT_EQ(table.lookup(EntryKind::oidc_token, at_end[4], kNow)->email(), "again@x");
    EXPECT_EQ(table.lookup(EntryKind::oidc_token, at_end[6], kNow)->email(), "replaced@x");
    EXPECT_EQ(table.size(), 14u - 5u + 1u);
}

namespace {

struct ModelValue {
    std::string email;
    std::string sid;
    std::int64_t expires_at_ms;
};

// Random inserts, erases, sid revocations, lookups and clock steps, checked against a std::map.
// Evictions (which the model cannot predict) are detected through the counter and resolved by
// looking every model key up.
void run_against_model(std::size_t slots, std::size_t distinct_keys, std::size_t operations,
                       std::uint64_t seed, std::int64_t max_ttl_ms = 20'000) {
    Region region(ShmTable::bytes_for(slots));
    ShmTable table = fresh(region);
    std::mt19937_64 random(seed);
    const EntryKind kinds[] = {EntryKind::oidc_token, EntryKind::oidc_inactive};
    using ModelKey = std::tuple<EntryKind, std::size_t>;
    std::map<ModelKey, ModelValue> model;
    std::int64_t now = kNow;
    std::uint64_t evictions = 0;

    auto pick = [&] { return ModelKey{kinds[random() % 2], random() % distinct_keys}; };
    auto check = [&](const ModelKey& mk) {
        auto [kind, n] = mk;
        auto found = table.lookup(kind, key_of(n), now);
        auto it = model.find(mk);
        bool live = it != model.end() && now < it->second.expires_at_ms;
        ASSERT_EQ(found.has_value(), live) << static_cast<int>(kind) << "/" << n;
        if (live) {
            EXPECT_EQ(found->email(), it->second.email);
            EXPECT_EQ(found->sid(), it->second.sid);
            EXPECT_EQ(found->expires_at_ms(), it->second.expires_at_ms);
        } else if (it != model.end()) {
            model.erase(it);
        }
    };
    // Looks every model key up (which also frees expired ones); after it, size() is exact.
    auto sweep = [&](bool after_eviction) {
        std::size_t missing = 0;
        for (auto it = model.begin(); it != model.end();) {
            auto [kind, n] = it->first;
            bool live = now < it->second.expires_at_ms;
            bool found = table.lookup(kind, key_of(n), now).has_value();
            if (live && !found && after_eviction) {
                ++missing;
            } else {
                ASSERT_EQ(found, live) << static_cast<int>(kind) << "/" << n;
            }
            it = found ? std::next(it) : model.erase(it);
        }
        if (after_eviction) {
            ASSERT_EQ(missing, 1u);
        }
        ASSERT_EQ(table.size(), model.size());
    };

    for (std::size_t op = 0; op < operations; ++op) {
        int what = static_cast<int>(random() % 100);
        ModelKey mk = pick();
        if (what < 45) {
            auto [kind, n] = mk;
            ModelValue value{"u" + std::to_string(random() % 1000) + "@x.org",
                             "sid" + std::to_string(random() % 20),
                             now + 1 + static_cast<std::int64_t>(random() % max_ttl_ms)};
            NewEntry entry = token(key_of(n), value.email, value.sid, value.expires_at_ms);
            entry.kind = kind;
            ASSERT_TRUE(table.insert(entry, now));
            model[mk] = value;
            std::uint64_t now_evictions = table.counters().evictions;
            if (now_evictions != evictions) {
                ASSERT_EQ(now_evictions, evictions + 1);
                evictions = now_evictions;
                // The new entry is live; the victim is one other model key.
                sweep(true);
            }
        } else if (what < 60) {
            auto [kind, n] = mk;
            auto it = model.find(mk);
            bool present = table.erase(kind, key_of(n));
            // An expired entry may already have been overwritten by another key.
            if (it != model.end() && now < it->second.expires_at_ms) {
                EXPECT_TRUE(present);
            }
            if (it != model.end()) {
                model.erase(it);
            } else {
                EXPECT_FALSE(present);
            }
        } else if (what < 63) {
            std::string sid = "sid" + std::to_string(random() % 20);
            table.erase_sid(sid);
            std::erase_if(model, [&](const auto& item) { return item.second.sid == sid; });
        } else if (what < 90) {
            check(mk);
        } else if (what < 99) {
            now += static_cast<std::int64_t>(random() % 1500);
        } else {
            table.erase_expired(now);
            std::erase_if(model,
                          [&](const auto& item) { return now >= item.second.expires_at_ms; });
            ASSERT_EQ(table.size(), model.size());
        }
        if (::testing::Test::HasFatalFailure()) {
            return;
        }
        if (op % 97 == 0) {
            sweep(false);
            if (::testing::Test::HasFatalFailure()) {
                return;
            }
        }
    }
    sweep(false);
    std::printf("[ model    ] %zu slots, %zu keys: %llu evictions, %llu expirations\n", slots,
                distinct_keys * 2, static_cast<unsigned long long>(evictions),
                static_cast<unsigned long long>(table.counters().expirations));
}

}  // namespace

TEST(ShmTableModel, TinyTableSmallerThanTheWindow) {
    run_against_model(5, 4, 20'000, 1);
}

TEST(ShmTableModel, SmallCrowdedTable) {
    run_against_model(32, 14, 100'000, 2);
}

TEST(ShmTableModel, LargerTable) {
    run_against_model(1024, 600, 200'000, 3);
}

// More possible entries than slots: evictions and long Robin Hood chains across the wrap-around.
TEST(ShmTableModel, OverfullTable) {
    run_against_model(64, 50, 100'000, 4, 1'000'000);
}

TEST(ShmTable, AttachAfterFormatKeepsEntriesAndCounters) {
    Region region(256 * 1024);
    ShmTable table = fresh(region);
    for (std::uint64_t n = 0; n < 100; ++n) {
        ASSERT_TRUE(table.insert(token(key_of(n), "u@x.org", "s"), kNow));
    }
    EXPECT_TRUE(table.lookup(EntryKind::oidc_token, key_of(1), kNow));

    bool reused = false;
    ShmTable again = ShmTable::attach(region.base(), region.size, {}, &reused);
    EXPECT_TRUE(reused);
    EXPECT_EQ(again.size(), 100u);
    EXPECT_EQ(again.counters().inserts, 100u);
    EXPECT_EQ(again.counters().hits, 1u);
    for (std::uint64_t n = 0; n < 100; ++n) {
        EXPECT_TRUE(again.lookup(EntryKind::oidc_token, key_of(n), kNow)) << n;
    }
}

// Nothing in the block is a pointer: a copy of it at another address is the same table.
TEST(ShmTable, BlockIsPositionIndependent) {
    Region region(256 * 1024);
    ShmTable table = fresh(region);
    for (std::uint64_t n = 0; n < 100; ++n) {
        ASSERT_TRUE(table.insert(token(key_of(n), "u" + std::to_string(n) + "@x", ""), kNow));
    }
    Region copy(region.size);
    std::memcpy(copy.base(), region.base(), region.size);
    bool reused = false;
    ShmTable moved = ShmTable::attach(copy.base(), copy.size, {}, &reused);
    EXPECT_TRUE(reused);
    for (std::uint64_t n = 0; n < 100; ++n) {
        auto found = moved.lookup(EntryKind::oidc_token, key_of(n), kNow);
        ASSERT_TRUE(found) << n;
        EXPECT_EQ(found->email(), "u" + std::to_string(n) + "@x");
    }
}

TEST(ShmTable, AttachToGarbageOrAnotherSizeReformats) {
    Region region(256 * 1024);
    std::memset(region.base(), 0xab, region.size);
    bool reused = true;
    ShmTable table = ShmTable::attach(region.base(), region.size, {}, &reused);
    EXPECT_FALSE(reused);
    EXPECT_EQ(table.size(), 0u);
    EXPECT_EQ(table.counters().inserts, 0u);
    EXPECT_FALSE(table.lookup(EntryKind::oidc_token, key_of(1), kNow));
    ASSERT_TRUE(table.insert(token(key_of(1), "u@x.org", ""), kNow));

    // The same block seen with another size (the zone was resized) is not trusted.
    ShmTable smaller = ShmTable::attach(region.base(), region.size - 4096, {}, &reused);
    EXPECT_FALSE(reused);
    EXPECT_EQ(smaller.size(), 0u);
    EXPECT_FALSE(smaller.lookup(EntryKind::oidc_token, key_of(1), kNow));

    // A stale handle on a reformatted block (other slot count) no longer touches it.
    EXPECT_FALSE(table.lookup(EntryKind::oidc_token, key_of(1), kNow));
    EXPECT_FALSE(table.insert(token(key_of(2), "u@x.org", ""), kNow));
    EXPECT_EQ(smaller.size(), 0u);

    // A bumped layout version (another build of the module) reformats too.
    ShmTable::format(region.base(), region.size, {});
    ShmTable current = ShmTable::attach(region.base(), region.size, {}, &reused);
    EXPECT_TRUE(reused);
    ASSERT_TRUE(current.insert(token(key_of(3), "u@x.org", ""), kNow));
    static_cast<std::uint32_t*>(region.base())[2] += 1;  // layout_version follows the magic
    ShmTable::attach(region.base(), region.size, {}, &reused);
    EXPECT_FALSE(reused);
}

TEST(ShmTable, Counters) {
    Region region(64 * 1024);
    ShmTable table = fresh(region);
    ASSERT_TRUE(table.insert(token(key_of(1), "a@x", "s1", kNow + 1000), kNow));
    ASSERT_TRUE(table.insert(token(key_of(2), "b@x", "s1"), kNow));
    ASSERT_TRUE(table.insert(token(key_of(3), "c@x", "s2"), kNow));
    ASSERT_TRUE(table.insert(token(key_of(3), "c@x", "s2"), kNow));  // replacement
    EXPECT_FALSE(table.insert(token(key_of(4), std::string(300, 'x'), ""), kNow));
    table.lookup(EntryKind::oidc_token, key_of(2), kNow);         // hit
    table.lookup(EntryKind::oidc_token, key_of(9), kNow);         // miss
    table.lookup(EntryKind::oidc_token, key_of(1), kNow + 1000);  // expired: miss
    EXPECT_EQ(table.erase_sid("s1"), 1u);
    EXPECT_TRUE(table.erase(EntryKind::oidc_token, key_of(3)));
    Counters c = table.counters();
    EXPECT_EQ(c.inserts, 4u);
    EXPECT_EQ(c.replacements, 1u);
    EXPECT_EQ(c.rejected, 1u);
    EXPECT_EQ(c.hits, 1u);
    EXPECT_EQ(c.misses, 2u);
    EXPECT_EQ(c.expirations, 1u);
    EXPECT_EQ(c.erasures, 2u);
    EXPECT_EQ(c.evictions, 0u);
    EXPECT_EQ(table.size(), 0u);
}

TEST(ShmTable, EraseExpired) {
    Region region(64 * 1024);
    ShmTable table = fresh(region);
    for (std::uint64_t n = 0; n < 40; ++n) {
        ASSERT_TRUE(table.insert(token(key_of(n), "u@x", "", kNow + 1000 * (1 + n % 4)), kNow));
    }
    EXPECT_EQ(table.erase_expired(kNow + 2000), 20u);
    EXPECT_EQ(table.size(), 20u);
    for (std::uint64_t n = 0; n < 40; ++n) {
        EXPECT_EQ(table.lookup(EntryKind::oidc_token, key_of(n), kNow + 1999).has_value(),
                  n % 4 >= 2)
            << n;
    }
}

namespace {

struct CountingLock {
    int depth = 0;
    int acquired = 0;
    bool nested = false;
    static void acquire(void* self) noexcept {
        auto* lock = static_cast<CountingLock*>(self);
        lock->nested = lock->nested || lock->depth != 0;
        ++lock->depth;
        ++lock->acquired;
    }
    static void release(void* self) noexcept { --static_cast<CountingLock*>(self)->depth; }
};

}  // namespace

TEST(ShmTable, EveryOperationTakesTheLockOnce) {
    Region region(64 * 1024);
    CountingLock counting;
    TableLock lock{&counting, &CountingLock::acquire, &CountingLock::release};
    ShmTable table = ShmTable::format(region.base(), region.size, lock);
    EXPECT_EQ(counting.acquired, 1);
    table.insert(token(key_of(1), "a@x", "s"), kNow);
    table.insert(token(key_of(1), std::string(300, 'x'), "s"), kNow);
    table.lookup(EntryKind::oidc_token, key_of(1), kNow);
    table.lookup(EntryKind::oidc_token, key_of(1), kNow + 120'000);
    table.erase(EntryKind::oidc_token, key_of(1));
    table.erase_sid("s");
    table.erase_expired(kNow);
    table.size();
    table.counters();
    ShmTable::attach(region.base(), region.size, lock);
    EXPECT_EQ(counting.acquired, 11);
    EXPECT_EQ(counting.depth, 0);
    EXPECT_FALSE(counting.nested);
}

// Processes are threads here; the lock is what the glue's ngx_shmtx is to nginx workers.
TEST(ShmTable, ConcurrentUsersThroughTheLock) {
    Region region(ShmTable::bytes_for(2048));
    std::mutex mutex;
    TableLock lock{&mutex, [](void* m) noexcept { static_cast<std::mutex*>(m)->lock(); },
                   [](void* m) noexcept { static_cast<std::mutex*>(m)->unlock(); }};
    ShmTable::format(region.base(), region.size, lock);
    std::vector<std::thread> threads;
    std::vector<int> bad(4, 0);
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            ShmTable table = ShmTable::attach(region.base(), region.size, lock);
            std::mt19937_64 random(100 + t);
            for (int op = 0; op < 50'000; ++op) {
                std::uint64_t n = random() % 1500;
                std::string email = "user" + std::to_string(n) + "@x.org";
                switch (random() % 4) {
                    case 0:
                    case 1:
                        table.insert(token(key_of(n), email, "sid" + std::to_string(n % 50)), kNow);
                        break;
                    case 2:
                        if (auto found = table.lookup(EntryKind::oidc_token, key_of(n), kNow)) {
                            bad[t] += found->email() != email || found->key() != key_of(n);
                        }
                        break;
                    default:
                        if (random() % 100 == 0) {
                            table.erase_sid("sid" + std::to_string(n % 50));
                        } else {
                            table.erase(EntryKind::oidc_token, key_of(n));
                        }
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    for (int t = 0; t < 4; ++t) {
        EXPECT_EQ(bad[t], 0);
    }
    ShmTable table = ShmTable::attach(region.base(), region.size, {});
    std::size_t live = 0;
    for (std::uint64_t n = 0; n < 1500; ++n) {
        live += table.lookup(EntryKind::oidc_token, key_of(n), kNow).has_value();
    }
    EXPECT_EQ(live, table.size());
}

// The same memory mapped twice at different addresses (as two processes may see a zone): what one
// mapping stores, the other reads.
TEST(ShmTable, TwoMappingsOfTheSameMemory) {
    const std::size_t size = 1 * kMiB;
    int fd = memfd_create("shm_table_test", 0);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(ftruncate(fd, size), 0);
    void* a = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    void* b = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    ASSERT_NE(a, MAP_FAILED);
    ASSERT_NE(b, MAP_FAILED);
    ASSERT_NE(a, b);
    ShmTable first = ShmTable::format(a, size, {});
    bool reused = false;
    ShmTable second = ShmTable::attach(b, size, {}, &reused);
    EXPECT_TRUE(reused);
    ASSERT_TRUE(first.insert(token(key_of(1), "one@x", "s"), kNow));
    ASSERT_TRUE(second.insert(token(key_of(2), "two@x", "s"), kNow));
    EXPECT_EQ(second.lookup(EntryKind::oidc_token, key_of(1), kNow)->email(), "one@x");
    EXPECT_EQ(first.lookup(EntryKind::oidc_token, key_of(2), kNow)->email(), "two@x");
    EXPECT_EQ(second.erase_sid("s"), 2u);
    EXPECT_EQ(first.size(), 0u);
    munmap(a, size);
    munmap(b, size);
}

// Forked processes sharing an anonymous mapping, with a spin lock in that mapping standing in
// for ngx_shmtx.
TEST(ShmTable, ProcessesShareTheTableThroughTheLock) {
    const std::size_t size = ShmTable::bytes_for(2048) + 64;
    void* shared = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(shared, MAP_FAILED);
    static_assert(std::atomic<int>::is_always_lock_free);
    auto* spin = new (shared) std::atomic<int>(0);
    TableLock lock{
        spin,
        [](void* s) noexcept {
            auto* flag = static_cast<std::atomic<int>*>(s);
            int expected = 0;
            while (!flag->compare_exchange_weak(expected, 1, std::memory_order_acquire)) {
                expected = 0;
            }
        },
        [](void* s) noexcept {
            static_cast<std::atomic<int>*>(s)->store(0, std::memory_order_release);
        }};
    void* block = static_cast<char*>(shared) + 64;
    ShmTable::format(block, size - 64, lock);
    std::vector<pid_t> children;
    for (int c = 0; c < 3; ++c) {
        pid_t pid = fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            ShmTable table = ShmTable::attach(block, size - 64, lock);
            int bad = 0;
            for (std::uint64_t n = 0; n < 3000; ++n) {
                std::uint64_t k = (n * 7 + c * 1000) % 1500;
                std::string email = "user" + std::to_string(k) + "@x.org";
                table.insert(token(key_of(k), email, ""), kNow);
                if (auto found = table.lookup(EntryKind::oidc_token, key_of(k), kNow)) {
                    bad += found->email() != email;
                } else {
                    ++bad;  // nothing erases: what was just stored must be there
                }
            }
            _exit(bad == 0 ? 0 : 1);
        }
        children.push_back(pid);
    }
    for (pid_t pid : children) {
        int status = 0;
        ASSERT_EQ(waitpid(pid, &status, 0), pid);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    ShmTable table = ShmTable::attach(block, size - 64, lock);
    EXPECT_EQ(table.size(), 1500u);
    EXPECT_EQ(table.counters().inserts, 9000u);
    EXPECT_EQ(table.counters().hits, 9000u);
    munmap(shared, size);
}

// Timing, printed; the bound is generous so that sanitizer and debug builds pass too.
TEST(ShmTable, MillionLookupsOnTenMebibytes) {
    Region region(10 * kMiB);
    ShmTable table = fresh(region);
    const std::size_t stored = table.slot_count() * 85 / 100;
    std::vector<Key> keys;
    for (std::uint64_t n = 0; n < stored; ++n) {
        keys.push_back(key_of(n));
        ASSERT_TRUE(table.insert(token(keys.back(), "user" + std::to_string(n) + "@open-paas.org",
                                       "0a1b2c3d-sid-" + std::to_string(n % 100)),
                                 kNow));
    }
    // 1 in 8 lookups is for a key that was never stored.
    std::vector<Key> probes;
    for (std::uint64_t n = 0; n < 4096; ++n) {
        probes.push_back(n % 8 == 7 ? key_of(10'000'000 + n) : keys[(n * 7919) % keys.size()]);
    }
    Counters before = table.counters();
    std::size_t hits = 0;
    auto start = std::chrono::steady_clock::now();
    for (std::size_t n = 0; n < 1'000'000; ++n) {
        auto found = table.lookup(EntryKind::oidc_token, probes[n % probes.size()], kNow);
        hits += found.has_value() && !found->email().empty();
    }
    auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
    Counters after = table.counters();
    std::printf(
        "[ timing   ] 1,000,000 lookups on %zu slots (%zu entries): %.1f ms, %.0f ns each\n",
        table.slot_count(), table.size(), elapsed.count() * 1e3, elapsed.count() * 1e3);
    EXPECT_EQ(hits, after.hits - before.hits);
    EXPECT_EQ(after.misses - before.misses, 1'000'000u - hits);
    EXPECT_LT(elapsed.count(), 5.0);

    auto scan_start = std::chrono::steady_clock::now();
    std::size_t revoked = table.erase_sid("0a1b2c3d-sid-42");
    auto scan = std::chrono::duration<double>(std::chrono::steady_clock::now() - scan_start);
    std::printf("[ timing   ] erase_sid over %zu slots: %.3f ms (%zu entries)\n",
                table.slot_count(), scan.count() * 1e3, revoked);
    EXPECT_GT(revoked, 0u);
}

// Documents the occupancy at which evictions start with random keys (quoted in the header).
TEST(ShmTable, OccupancyAtFirstEviction) {
    Region region(10 * kMiB);
    ShmTable table = fresh(region);
    std::uint64_t n = 0;
    std::size_t at_first = 0;
    while (table.size() < table.slot_count()) {
        std::int64_t expiry = kNow + 1000 + static_cast<std::int64_t>(n);
        ASSERT_TRUE(table.insert(token(key_of(n), "u@x", "", expiry), kNow));
        ++n;
        if (at_first == 0 && table.counters().evictions > 0) {
            at_first = table.size();
        }
        if (n > 4 * table.slot_count()) {
            break;
        }
    }
    std::printf(
        "[ sizing   ] %zu slots: first eviction at %.1f %%, %.1f %% full after %llu "
        "inserts (%llu evictions)\n",
        table.slot_count(), 100.0 * at_first / table.slot_count(),
        100.0 * table.size() / table.slot_count(), static_cast<unsigned long long>(n),
        static_cast<unsigned long long>(table.counters().evictions));
    EXPECT_GT(at_first, table.slot_count() * 85 / 100);
}
