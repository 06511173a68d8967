#pragma once

// The edge's counters and latency histograms, kept in a shared-memory zone so that every nginx
// worker process adds to the same numbers and one scrape sees the node. Lock-free atomics
// (relaxed: counters need no ordering). No nginx dependency: the zone hands over raw memory.

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

namespace twake::edge::metrics {

enum class Method : std::uint8_t { none, oidc, admin, basic, jwt, link, ticket, count };
enum class Outcome : std::uint8_t { ok, refused, forbidden, unavailable, bad_request, count };
// Where a successful identity came from (CacheLevel): first level, Redis, or the authority
// itself (identity provider, LDAP through the worker, the domain check).
enum class Source : std::uint8_t { shm, redis, idp, count };
enum class CallResult : std::uint8_t { ok, refused, error, count };
// How a `/ws` handshake ended at the edge: forwarded, no or a malformed ticket (no worker call),
// refused by the worker, or the check failed (503).
enum class Handshake : std::uint8_t { ok, no_ticket, malformed, refused, error, count };

inline constexpr std::array<double, 12> kLatencyBuckets = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

using Counter = std::atomic<std::uint64_t>;
static_assert(Counter::is_always_lock_free, "counters in shared memory must be lock-free");

struct Histogram {
    std::array<Counter, kLatencyBuckets.size()> buckets{};  // per bucket, not cumulative
    Counter count{0};
    Counter sum_us{0};

    void observe(std::uint64_t micros);
};

struct EdgeMetrics {
    static constexpr std::uint64_t kMagic = 0x7463616c6d657431ULL;  // "tcalmet1"
    std::uint64_t magic = kMagic;
    std::uint64_t size = sizeof(EdgeMetrics);

    std::array<std::array<Counter, std::size_t(Outcome::count)>, std::size_t(Method::count)> auth{};
    std::array<std::array<Counter, std::size_t(Source::count)>, std::size_t(Method::count)>
        source{};
    std::array<Counter, std::size_t(CallResult::count)> idp_calls{};
    Histogram idp_latency;
    std::array<Counter, std::size_t(CallResult::count)> redis_lookups{};
    Histogram redis_latency;
    Counter redis_connection_failures{0};  // connections lost or never made
    Counter redis_skipped{0};              // lookups not tried: the link was down
    Counter revocations{0};                // messages received, per nginx worker process
    Counter revoked_entries{0};
    Counter coalesced{0};  // requests that waited for another request's lookup
    std::array<Counter, std::size_t(Handshake::count)> ws_handshakes{};

    void count_auth(Method m, Outcome o) { add(auth[std::size_t(m)][std::size_t(o)]); }
    void count_source(Method m, Source s) { add(source[std::size_t(m)][std::size_t(s)]); }
    void count_handshake(Handshake h) { add(ws_handshakes[std::size_t(h)]); }
    static void add(Counter& c, std::uint64_t n = 1) { c.fetch_add(n, std::memory_order_relaxed); }

    // Placement-constructs a fresh block in `memory`, or keeps the one a previous
    // configuration left there (same magic and size: an nginx reload).
    static EdgeMetrics* attach(void* memory, std::size_t bytes);
};

// The shared-memory cache's own numbers, read under its lock when scraped.
struct CacheGauges {
    std::uint64_t slots = 0;
    std::uint64_t entries = 0;
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::uint64_t inserts = 0;
    std::uint64_t evictions = 0;
    std::uint64_t expirations = 0;
    std::uint64_t erasures = 0;
};

// Prometheus text exposition format 0.0.4.
std::string render_prometheus(const EdgeMetrics& m, const CacheGauges& cache);

}  // namespace twake::edge::metrics
