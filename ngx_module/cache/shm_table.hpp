#pragma once

// The edge's first-level cache table (docs/reference/edge-worker.md §4.1): fixed-size slots
// in one block of memory that the module glue carves out of an nginx shared zone, so that every
// nginx worker process of a node sees the same entries. No nginx dependency: the glue hands the
// block's address and size, and a lock (the zone's ngx_shmtx).
//
// Sizing for operators: a slot is 1,120 bytes, the header 128 bytes, so
//   1 MiB = 936 slots, 10 MiB = 9,362, 64 MiB = 59,918, 100 MiB = 93,622.
// Entries are placed within 32 slots of their hash position (Robin Hood placement); when those
// 32 slots all hold live entries, the one that expires first is evicted. Measured with random
// keys in a 10 MiB table: no eviction while live entries fill up to 80 % of the slots, 0.02 %
// of inserts evict at 85 %, 0.3 % at 90 %, 5 % at 95 %. Hence "10 MiB holds about 8,000 cached
// tokens" (85 %; count Basic, negative and other entries too). An eviction only costs one more
// round trip to Redis or the IdP. Expired entries keep their slot until a lookup or insert walks
// over them; calling erase_expired() from a timer keeps them from crowding live ones.
//
// Layout (everything is offsets and indices, no pointers, so the block may be mapped anywhere):
//   Header (magic, layout version, slot size, region size, slot count, used count, counters)
//   padding to 128 bytes
//   slot_count x detail::Record (1,120 bytes each, kind 0 = empty)
// A reload that keeps the zone calls attach(), which reuses the block when magic, version, slot
// size and region size all match, and formats it otherwise.
//
// Kinds, their keys and fields (one text field serves two purposes to keep slots small; unused
// fields are left empty):
//   oidc_token     SHA-256 of the token, zero-padded; email = username, sid, text = audiences
//                  joined with ';', exp_s = the token's exp
//   oidc_inactive  SHA-256 of the token, zero-padded; no fields (the IdP said inactive)
//   oidc_alias     SHA-512 of the token (its Redis key); text = the SHA-256 (raw), so that a
//                  revocation naming Redis keys finds the oidc_token entry
//   basic_ldap     HMAC-SHA-256 of the credentials, zero-padded; email = username
//   domain_exists  SHA-256 of the domain name, zero-padded; no fields (text free for the glue)
//   secret_link    SHA-256 of (home, calendar, token), zero-padded; email = owner,
//                  text = export path
//
// Times: `exp_s` is epoch seconds (the token's exp), `expires_at_ms` and `stored_at_ms` epoch
// milliseconds (ngx_time() * 1000 + msec, not ngx_current_msec, which is not the epoch). An entry
// is live while now_ms < expires_at_ms. The TTL policy (min(configured, exp - now), the 10 s cap
// while the revocation subscription is down, 5 s for secret links...) is the caller's: the table
// stores whatever expires_at_ms it is given, provided it is in the future.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>

namespace twake::edge::cache {

// A SHA-512 digest, or a shorter digest padded with zeros (key_from_digest).
using Key = std::array<unsigned char, 64>;

// Copies a digest of at most 64 bytes into a Key, zero-padded; throws std::invalid_argument when
// the digest is longer.
Key key_from_digest(std::string_view digest);

enum class EntryKind : std::uint8_t {
    oidc_token = 1,     // an active OIDC token (positive)
    oidc_inactive = 2,  // the IdP said inactive (short negative cache)
    basic_ldap = 3,     // a Basic credential that LDAP accepted
    domain_exists = 4,  // a legacy-JWT domain that exists
    secret_link = 5,    // a secret-link lookup
    oidc_alias = 6,     // a token's Redis key → its first-level key
};

// Lengths in bytes; longer values are refused, never truncated.
inline constexpr std::size_t kMaxEmail = 254;
inline constexpr std::size_t kMaxSid = 255;
inline constexpr std::size_t kMaxText = 512;

// What a caller stores. The views only need to live for the call.
struct NewEntry {
    EntryKind kind = EntryKind::oidc_token;
    Key key{};
    std::string_view email;
    std::string_view sid;
    std::string_view text;
    std::int64_t exp_s = 0;
    std::int64_t expires_at_ms = 0;
};

// Operation counters, for metrics. They live in the shared block: node-wide, all processes.
struct Counters {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::uint64_t inserts = 0;       // successful inserts, replacements included
    std::uint64_t replacements = 0;  // inserts that replaced an entry with the same key
    std::uint64_t evictions = 0;     // live entries dropped to make room
    std::uint64_t expirations = 0;   // expired entries freed or overwritten
    std::uint64_t erasures = 0;      // entries removed by erase, erase_sid
    std::uint64_t rejected = 0;      // inserts refused (too long, already expired, bad kind)
};

namespace detail {

// One slot, as it lies in shared memory; also the payload of an Entry. Hot fields first: a probe
// reads `expires_at_ms`, `kind` and `key` only, in the slot's first 96 bytes.
struct Record {
    std::int64_t expires_at_ms;
    std::int64_t exp_s;
    std::int64_t stored_at_ms;
    std::uint16_t text_len;
    std::uint8_t kind;  // 0: empty slot
    std::uint8_t email_len;
    std::uint8_t sid_len;
    std::uint8_t reserved[3];
    Key key;
    // email, sid and text back to back: a typical entry is a few contiguous cache lines, read
    // and copied in one go.
    char data[kMaxEmail + kMaxSid + kMaxText];

    std::string_view email() const { return {data, email_len}; }
    std::string_view sid() const { return {data + email_len, sid_len}; }
    std::string_view text() const { return {data + email_len + sid_len, text_len}; }
};
static_assert(std::is_trivially_copyable_v<Record> && std::is_standard_layout_v<Record>);
static_assert(sizeof(Record) == 1120, "changing the slot layout needs a new layout version");

}  // namespace detail

// A copy of a cached entry, taken under the lock; it does not refer to shared memory.
class Entry {
  public:
    // Passkey: only ShmTable makes entries.
    class Token {
        friend class ShmTable;
        Token() = default;
    };
    Entry(Token, const detail::Record& slot) noexcept;

    EntryKind kind() const { return static_cast<EntryKind>(record_.kind); }
    const Key& key() const { return record_.key; }
    std::string_view email() const { return record_.email(); }
    std::string_view sid() const { return record_.sid(); }
    std::string_view text() const { return record_.text(); }
    std::int64_t exp_s() const { return record_.exp_s; }
    std::int64_t expires_at_ms() const { return record_.expires_at_ms; }
    std::int64_t stored_at_ms() const { return record_.stored_at_ms; }

  private:
    detail::Record record_;
};

// The lock every operation holds for its whole duration. The glue maps it to the zone's
// ngx_shmtx_t: {&mutex, [](void* m) noexcept { ngx_shmtx_lock(...); }, ...}. Null functions mean
// no locking (one process, tests).
struct TableLock {
    void* context = nullptr;
    void (*acquire)(void* context) noexcept = nullptr;
    void (*release)(void* context) noexcept = nullptr;
};

// A process-local handle on the table in shared memory. Cheap to copy; a default-constructed
// handle is detached (lookups miss, inserts fail).
class ShmTable {
  public:
    static constexpr std::size_t kSlotSize = sizeof(detail::Record);
    static constexpr std::size_t kHeaderSize = 128;  // slots start here
    // An entry sits fewer than kProbeWindow slots after its home slot: lookups walk at most
    // that many slots (fewer: they stop at the first empty one).
    static constexpr std::size_t kProbeWindow = 32;

    // How many slots fit in `bytes`, and the bytes `slots` slots need.
    static constexpr std::size_t slots_for(std::size_t bytes) {
        return bytes < kHeaderSize ? 0 : (bytes - kHeaderSize) / kSlotSize;
    }
    static constexpr std::size_t bytes_for(std::size_t slots) {
        return kHeaderSize + slots * kSlotSize;
    }

    // The slot where probing for (kind, key) starts, in a table of `slot_count` slots.
    static std::size_t home_slot(EntryKind kind, const Key& key, std::size_t slot_count) noexcept;

    ShmTable() = default;

    // Initialises a fresh region: base must be 8-byte aligned and hold at least one slot, else
    // std::invalid_argument. Existing content is discarded.
    static ShmTable format(void* base, std::size_t size, TableLock lock);

    // Reuses a region formatted earlier (an nginx reload that kept the zone) when its magic,
    // layout version and sizes match; formats it otherwise. `reused` tells which happened.
    static ShmTable attach(void* base, std::size_t size, TableLock lock, bool* reused = nullptr);

    // A copy of the live entry, or nullopt. An expired entry is a miss; it and any other expired
    // entry on the probe path are freed.
    std::optional<Entry> lookup(EntryKind kind, const Key& key, std::int64_t now_ms);
    // The same into the caller's storage (no second copy of the slot): whether found; `out` is
    // reset on a miss.
    bool lookup(EntryKind kind, const Key& key, std::int64_t now_ms, std::optional<Entry>& out);

    // Stores the entry (stored_at = now_ms), replacing one with the same kind and key. Refused
    // (false) when a value is too long, expires_at_ms <= now_ms or the kind is unknown.
    bool insert(const NewEntry& entry, std::int64_t now_ms);

    bool erase(EntryKind kind, const Key& key);

    // Removes every entry whose sid equals `sid` (back-channel logout); a full scan. An empty sid
    // matches nothing.
    std::size_t erase_sid(std::string_view sid);

    // Frees every expired entry (a full scan), e.g. from a timer; returns how many.
    std::size_t erase_expired(std::int64_t now_ms);

    // Occupied slots, expired entries not yet freed included.
    std::size_t size() const;
    std::size_t slot_count() const { return slot_count_; }
    Counters counters() const;

  private:
    struct Header;
    class Guard;
    static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    struct Probe {
        std::size_t index;
        bool found;
    };

    ShmTable(void* base, std::size_t slot_count, TableLock lock);
    static void check_region(void* base, std::size_t size);
    void format_locked(std::size_t size);
    bool intact() const;
    std::size_t window() const;
    std::size_t next(std::size_t i) const { return i + 1 == slot_count_ ? 0 : i + 1; }
    void remove_at(std::size_t i);
    Probe probe(std::uint8_t kind, const Key& key, std::size_t home, std::int64_t now_ms);
    std::size_t displacement(std::size_t i) const;
    bool place(const NewEntry& entry, std::size_t home, std::int64_t now_ms);
    template <class Match>
    std::size_t erase_matching(Match match);

    Header* header_ = nullptr;
    detail::Record* slots_ = nullptr;
    std::size_t slot_count_ = 0;
    TableLock lock_;
};

}  // namespace twake::edge::cache
