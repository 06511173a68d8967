#include "ngx_module/cache/shm_table.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>

// Open addressing with linear probing, bounded to kProbeWindow slots from the key's home slot,
// and Robin Hood placement.
//
// Invariant: an entry sits fewer than kProbeWindow slots after its home, and no empty slot lies
// between its home and it. A lookup therefore walks from the home slot and stops at the first
// empty slot or after kProbeWindow slots.
//
// Placement: first-come placement (the first free slot of the window) lets clusters push late
// entries far from home; with a 32-slot window a table of random keys started evicting at 59 %
// occupancy. Robin Hood placement (an insert takes the slot of a resident that is closer to its
// own home, which moves on) occupies the same slots but evens out the distances: the first
// eviction comes at about 92 % (see shm_table_test.cpp, OccupancyAtFirstEviction). Lookups do
// not rely on the Robin Hood order (evictions and reused dead slots break it), only on the
// invariant above.
//
// Deletion is backward-shift deletion, not tombstones: the entries after the hole that may
// move closer to their home do, so the table looks as if the deleted entry had never been
// inserted. Tombstones would stay "in the way" until an insert reuses them: misses, the
// commonest case under a flood of bad tokens, would walk whole windows, and revocations and
// expiries would leave the table full of them. The price is moving a few slots per delete.
//
// Expired entries stay in place until a lookup or insert walks over them (each frees the dead
// entries on its probe path), an insert's chain reuses the slot, or erase_expired sweeps the
// table. They count in size() until then.

namespace twake::edge::cache {

namespace {

using detail::Record;

constexpr std::uint64_t kMagic = 0x45484341434b5754ULL;  // "TWKCACHE" in memory (little-endian)
constexpr std::uint32_t kLayoutVersion = 2;              // 2: tokens keyed by SHA-256, oidc_alias

constexpr std::uint8_t kEmpty = 0;
constexpr std::uint8_t kMaxKind = static_cast<std::uint8_t>(EntryKind::oidc_alias);

// MurmurHash3's 64-bit finaliser: keys are digests already, this only spreads the kind and
// guards against callers passing weak keys.
std::uint64_t mix(std::uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

bool same_key(const Record& slot, std::uint8_t kind, const Key& key) {
    return slot.kind == kind && std::memcmp(slot.key.data(), key.data(), key.size()) == 0;
}

// Copies the fixed part and the used bytes of the strings only (a typical token entry is a few
// cache lines, not 1,120 bytes). Lengths are clamped: a worker that died in the middle of a
// write must not make a reader copy past the record.
void copy_record(Record& dst, const Record& src) {
    std::size_t email = std::min<std::size_t>(src.email_len, kMaxEmail);
    std::size_t sid = src.sid_len;  // kMaxSid is 255, the type's maximum
    std::size_t text = std::min<std::size_t>(src.text_len, kMaxText);
    std::memcpy(static_cast<void*>(&dst), &src, offsetof(Record, data) + email + sid + text);
    dst.email_len = static_cast<std::uint8_t>(email);
    dst.text_len = static_cast<std::uint16_t>(text);
}

void write_record(Record& slot, const NewEntry& e, std::int64_t now_ms) {
    slot.expires_at_ms = e.expires_at_ms;
    slot.exp_s = e.exp_s;
    slot.stored_at_ms = now_ms;
    slot.text_len = static_cast<std::uint16_t>(e.text.size());
    slot.kind = static_cast<std::uint8_t>(e.kind);
    slot.email_len = static_cast<std::uint8_t>(e.email.size());
    slot.sid_len = static_cast<std::uint8_t>(e.sid.size());
    slot.key = e.key;
    char* out = slot.data;
    std::memcpy(out, e.email.data(), e.email.size());
    out += e.email.size();
    std::memcpy(out, e.sid.data(), e.sid.size());
    out += e.sid.size();
    std::memcpy(out, e.text.data(), e.text.size());
}

bool valid(const NewEntry& e) {
    auto kind = static_cast<std::uint8_t>(e.kind);
    return kind != kEmpty && kind <= kMaxKind && e.email.size() <= kMaxEmail &&
           e.sid.size() <= kMaxSid && e.text.size() <= kMaxText;
}

}  // namespace

struct ShmTable::Header {
    std::uint64_t magic;
    std::uint32_t layout_version;
    std::uint32_t slot_size;
    std::uint64_t region_size;
    std::uint64_t slot_count;
    std::uint64_t used;
    Counters counters;
};
static_assert(ShmTable::kHeaderSize % alignof(Record) == 0);

class ShmTable::Guard {
  public:
    explicit Guard(const TableLock& lock) : lock_(lock) {
        if (lock_.acquire != nullptr) {
            lock_.acquire(lock_.context);
        }
    }
    ~Guard() {
        if (lock_.release != nullptr) {
            lock_.release(lock_.context);
        }
    }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;

  private:
    const TableLock& lock_;
};

Key key_from_digest(std::string_view digest) {
    Key key{};
    if (digest.size() > key.size()) {
        throw std::invalid_argument("cache key: a digest is at most 64 bytes");
    }
    std::memcpy(key.data(), digest.data(), digest.size());
    return key;
}

Entry::Entry(Token, const Record& slot) noexcept {
    copy_record(record_, slot);
}

std::size_t ShmTable::home_slot(EntryKind kind, const Key& key, std::size_t slot_count) noexcept {
    std::uint64_t h;
    std::memcpy(&h, key.data(), sizeof h);
    h = mix(h ^ (static_cast<std::uint64_t>(kind) * 0x9e3779b97f4a7c15ULL));
    // Lemire's multiply-shift: uniform over [0, slot_count) without a division.
    return static_cast<std::size_t>((static_cast<unsigned __int128>(h) * slot_count) >> 64);
}

ShmTable::ShmTable(void* base, std::size_t slot_count, TableLock lock)
    : header_(static_cast<Header*>(base)),
      slots_(reinterpret_cast<Record*>(static_cast<unsigned char*>(base) + kHeaderSize)),
      slot_count_(slot_count),
      lock_(lock) {}

void ShmTable::check_region(void* base, std::size_t size) {
    if (base == nullptr || reinterpret_cast<std::uintptr_t>(base) % alignof(Record) != 0) {
        throw std::invalid_argument("cache table: the region must be 8-byte aligned");
    }
    if (slots_for(size) == 0) {
        throw std::invalid_argument("cache table: the region is too small for one slot");
    }
    if (slots_for(size) > std::numeric_limits<std::uint32_t>::max()) {
        throw std::invalid_argument("cache table: the region is too large");
    }
}

ShmTable ShmTable::format(void* base, std::size_t size, TableLock lock) {
    check_region(base, size);
    ShmTable table(base, slots_for(size), lock);
    Guard guard(table.lock_);
    table.format_locked(size);
    return table;
}

ShmTable ShmTable::attach(void* base, std::size_t size, TableLock lock, bool* reused) {
    check_region(base, size);
    ShmTable table(base, slots_for(size), lock);
    Guard guard(table.lock_);
    const Header& h = *table.header_;
    bool same = h.magic == kMagic && h.layout_version == kLayoutVersion &&
                h.slot_size == kSlotSize && h.region_size == size &&
                h.slot_count == table.slot_count_;
    if (same) {
        // Recount: a worker killed in the middle of an operation may have left `used` off.
        std::size_t used = 0;
        for (std::size_t i = 0; i < table.slot_count_; ++i) {
            used += table.slots_[i].kind != kEmpty;
        }
        table.header_->used = used;
    } else {
        table.format_locked(size);
    }
    if (reused != nullptr) {
        *reused = same;
    }
    return table;
}

void ShmTable::format_locked(std::size_t size) {
    static_assert(sizeof(Header) <= kHeaderSize && std::is_trivially_copyable_v<Header>);
    // The magic goes last, so that a half-formatted region never looks valid.
    header_->magic = 0;
    std::memset(static_cast<void*>(slots_), 0, slot_count_ * kSlotSize);
    header_->layout_version = kLayoutVersion;
    header_->slot_size = kSlotSize;
    header_->region_size = size;
    header_->slot_count = slot_count_;
    header_->used = 0;
    header_->counters = Counters{};
    header_->magic = kMagic;
}

// Checked under the lock by every operation: after a reload that loaded a module with another
// layout and reformatted the block, processes still running the old code must not touch it.
bool ShmTable::intact() const {
    return header_ != nullptr && header_->magic == kMagic &&
           header_->layout_version == kLayoutVersion && header_->slot_count == slot_count_;
}

std::size_t ShmTable::window() const {
    return std::min(kProbeWindow, slot_count_);
}

// Backward-shift deletion: walks the slots after the hole and moves back every entry whose home
// is at or before the hole, so that no entry is left behind an empty slot. An entry more than
// window - 1 slots after the hole cannot have its home at or before it, hence the bound.
void ShmTable::remove_at(std::size_t i) {
    std::size_t hole = i;
    std::size_t limit = window();
    for (std::size_t j = next(i);; j = next(j)) {
        std::size_t from_hole = (j + slot_count_ - hole) % slot_count_;
        if (from_hole == 0 || from_hole >= limit) {
            break;
        }
        const Record& slot = slots_[j];
        if (slot.kind == kEmpty) {
            break;
        }
        std::size_t home = home_slot(static_cast<EntryKind>(slot.kind), slot.key, slot_count_);
        if ((j + slot_count_ - home) % slot_count_ >= from_hole) {
            copy_record(slots_[hole], slot);
            hole = j;
        }
    }
    slots_[hole].kind = kEmpty;
    --header_->used;
}

// Walks the window of (kind, key) from its home slot. Expired entries met on the way are freed
// (so that dead entries do not lengthen the clusters that live ones must probe through), and the
// slot is examined again since the shift may have moved a later entry into it. Returns the slot
// of the live entry with that key, else the first empty slot of the window (found = false), else
// kNone: the window is full of live entries.
ShmTable::Probe ShmTable::probe(std::uint8_t kind, const Key& key, std::size_t home,
                                std::int64_t now_ms) {
    std::size_t i = home;
    std::size_t limit = window();
    for (std::size_t walked = 0; walked < limit;) {
        const Record& slot = slots_[i];
        if (slot.kind == kEmpty) {
            return {i, false};
        }
        if (now_ms >= slot.expires_at_ms) {
            remove_at(i);
            ++header_->counters.expirations;
            continue;
        }
        if (same_key(slot, kind, key)) {
            return {i, true};
        }
        ++walked;
        i = next(i);
    }
    return {kNone, false};
}

std::optional<Entry> ShmTable::lookup(EntryKind kind, const Key& key, std::int64_t now_ms) {
    std::optional<Entry> found;
    lookup(kind, key, now_ms, found);
    return found;
}

bool ShmTable::lookup(EntryKind kind, const Key& key, std::int64_t now_ms,
                      std::optional<Entry>& out) {
    out.reset();
    if (slot_count_ == 0) {
        return false;
    }
    std::size_t home = home_slot(kind, key, slot_count_);
    Guard guard(lock_);
    if (!intact()) {
        return false;
    }
    Probe p = probe(static_cast<std::uint8_t>(kind), key, home, now_ms);
    if (p.found) {
        ++header_->counters.hits;
        out.emplace(Entry::Token{}, slots_[p.index]);
    } else {
        ++header_->counters.misses;
    }
    return p.found;
}

bool ShmTable::insert(const NewEntry& entry, std::int64_t now_ms) {
    if (slot_count_ == 0) {
        return false;
    }
    bool acceptable = valid(entry) && entry.expires_at_ms > now_ms;
    std::size_t home = acceptable ? home_slot(entry.kind, entry.key, slot_count_) : 0;
    Guard guard(lock_);
    if (!intact()) {
        return false;
    }
    Counters& counters = header_->counters;
    if (!acceptable) {
        ++counters.rejected;
        return false;
    }
    Probe p = probe(static_cast<std::uint8_t>(entry.kind), entry.key, home, now_ms);
    if (p.found) {
        write_record(slots_[p.index], entry, now_ms);
        ++counters.replacements;
    } else if (!place(entry, home, now_ms)) {
        // Every slot of the window holds a live entry and none can make room by moving on: the
        // one that would die first goes. Replacing it in place keeps the probing invariant.
        std::size_t at = home;
        for (std::size_t n = 1, j = next(home); n < window(); ++n, j = next(j)) {
            if (slots_[j].expires_at_ms < slots_[at].expires_at_ms) {
                at = j;
            }
        }
        write_record(slots_[at], entry, now_ms);
        ++counters.evictions;
    }
    ++counters.inserts;
    return true;
}

std::size_t ShmTable::displacement(std::size_t i) const {
    const Record& slot = slots_[i];
    std::size_t home = home_slot(static_cast<EntryKind>(slot.kind), slot.key, slot_count_);
    return (i + slot_count_ - home) % slot_count_;
}

// Robin Hood placement: walking from home, the entry takes the slot of any resident closer to
// its own home than the walker is to its, and that resident walks on. The set of occupied slots
// is the same as with first-come placement, but displacements are evened out, so that far fewer
// entries end up window slots or more from home (which would be an eviction). A first pass
// checks that the chain ends (at an empty or dead slot) with every displacement below the
// window, so that a failure leaves the table untouched.
bool ShmTable::place(const NewEntry& entry, std::size_t home, std::int64_t now_ms) {
    std::size_t limit = window();
    std::size_t i = home;
    for (std::size_t walked = 0, d = 0;; ++walked, ++d, i = next(i)) {
        if (d >= limit || walked >= slot_count_) {
            return false;
        }
        const Record& slot = slots_[i];
        if (slot.kind == kEmpty || now_ms >= slot.expires_at_ms) {
            break;
        }
        d = std::min(d, displacement(i));
    }
    Record carried;
    write_record(carried, entry, now_ms);
    i = home;
    for (std::size_t d = 0;; ++d, i = next(i)) {
        Record& slot = slots_[i];
        if (slot.kind == kEmpty || now_ms >= slot.expires_at_ms) {
            if (slot.kind == kEmpty) {
                ++header_->used;
            } else {
                ++header_->counters.expirations;
            }
            copy_record(slot, carried);
            return true;
        }
        std::size_t resident = displacement(i);
        if (resident < d) {
            Record moved;
            copy_record(moved, slot);
            copy_record(slot, carried);
            copy_record(carried, moved);
            d = resident;
        }
    }
}

bool ShmTable::erase(EntryKind kind, const Key& key) {
    if (slot_count_ == 0) {
        return false;
    }
    std::size_t home = home_slot(kind, key, slot_count_);
    Guard guard(lock_);
    if (!intact()) {
        return false;
    }
    // No clock here: an expired entry is erased like a live one.
    Probe p =
        probe(static_cast<std::uint8_t>(kind), key, home, std::numeric_limits<std::int64_t>::min());
    if (!p.found) {
        return false;
    }
    remove_at(p.index);
    ++header_->counters.erasures;
    return true;
}

// A full scan that deletes while walking. remove_at(i) may pull a later entry into slot i, so
// slot i is examined again before moving on. The walk starts after an empty slot: a shift chain
// stops at an empty slot, so none can run past the start and pull an entry that was not examined
// yet into the part already walked (which a wrap-around could do in a crowded table).
template <class Match>
std::size_t ShmTable::erase_matching(Match match) {
    constexpr std::size_t none = kNone;
    auto find_empty = [this] {
        for (std::size_t i = 0; i < slot_count_; ++i) {
            if (slots_[i].kind == kEmpty) {
                return i;
            }
        }
        return none;
    };
    std::size_t erased = 0;
    std::size_t start = find_empty();
    if (start == none) {
        // A full table: remove the first match, which leaves an empty slot, or stop.
        for (std::size_t i = 0; i < slot_count_ && erased == 0; ++i) {
            if (match(slots_[i])) {
                remove_at(i);
                ++erased;
            }
        }
        if (erased == 0) {
            return 0;
        }
        start = find_empty();
    }
    std::size_t i = next(start);
    for (std::size_t walked = 1; walked < slot_count_;) {
        const Record& slot = slots_[i];
        if (slot.kind != kEmpty && match(slot)) {
            remove_at(i);
            ++erased;
        } else {
            ++walked;
            i = next(i);
        }
    }
    return erased;
}

std::size_t ShmTable::erase_sid(std::string_view sid) {
    if (sid.empty() || sid.size() > kMaxSid) {
        return 0;
    }
    auto length = static_cast<std::uint8_t>(sid.size());
    Guard guard(lock_);
    if (!intact()) {
        return 0;
    }
    std::size_t erased = erase_matching(
        [&](const Record& slot) { return slot.sid_len == length && slot.sid() == sid; });
    header_->counters.erasures += erased;
    return erased;
}

std::size_t ShmTable::erase_expired(std::int64_t now_ms) {
    Guard guard(lock_);
    if (!intact()) {
        return 0;
    }
    std::size_t erased =
        erase_matching([&](const Record& slot) { return now_ms >= slot.expires_at_ms; });
    header_->counters.expirations += erased;
    return erased;
}

std::size_t ShmTable::size() const {
    Guard guard(lock_);
    return intact() ? header_->used : 0;
}

Counters ShmTable::counters() const {
    Guard guard(lock_);
    return intact() ? header_->counters : Counters{};
}

}  // namespace twake::edge::cache
