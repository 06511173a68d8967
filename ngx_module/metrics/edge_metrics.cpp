#include "ngx_module/metrics/edge_metrics.hpp"

#include <algorithm>
#include <cstdio>
#include <new>

namespace twake::edge::metrics {

namespace {

constexpr const char* kMethods[] = {"none", "oidc", "admin", "basic", "jwt", "link", "ticket"};
constexpr const char* kOutcomes[] = {"ok", "refused", "forbidden", "unavailable", "bad_request"};
constexpr const char* kSources[] = {"shm", "redis", "idp"};
constexpr const char* kResults[] = {"ok", "refused", "error"};
constexpr const char* kHandshakes[] = {"ok", "no_ticket", "malformed", "refused", "error"};

std::uint64_t load(const Counter& c) {
    return c.load(std::memory_order_relaxed);
}

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

class Text {
  public:
    void family(const char* name, const char* type, const char* help) {
        out_ += "# HELP ";
        out_ += name;
        out_ += ' ';
        out_ += help;
        out_ += "\n# TYPE ";
        out_ += name;
        out_ += ' ';
        out_ += type;
        out_ += '\n';
    }
    void sample(const std::string& name, const std::string& labels, std::uint64_t value) {
        out_ += name;
        if (!labels.empty()) {
            out_ += '{' + labels + '}';
        }
        out_ += ' ' + std::to_string(value) + '\n';
    }
    void sample(const std::string& name, const std::string& labels, double value) {
        out_ += name;
        if (!labels.empty()) {
            out_ += '{' + labels + '}';
        }
        out_ += ' ' + number(value) + '\n';
    }
    void histogram(const std::string& name, const Histogram& h) {
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) {
            cumulative += load(h.buckets[i]);
            sample(name + "_bucket", "le=\"" + number(kLatencyBuckets[i]) + "\"", cumulative);
        }
        // Observations beyond the last bucket only count in +Inf (and in count).
        std::uint64_t count = load(h.count);
        sample(name + "_bucket", "le=\"+Inf\"", std::max(count, cumulative));
        sample(name + "_sum", "", static_cast<double>(load(h.sum_us)) / 1e6);
        sample(name + "_count", "", std::max(count, cumulative));
    }
    std::string take() { return std::move(out_); }

  private:
    std::string out_;
};

std::string label(const char* name, const char* value) {
    return std::string(name) + "=\"" + value + "\"";
}

}  // namespace

void Histogram::observe(std::uint64_t micros) {
    double seconds = static_cast<double>(micros) / 1e6;
    for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) {
        if (seconds <= kLatencyBuckets[i]) {
            EdgeMetrics::add(buckets[i]);
            break;
        }
    }
    EdgeMetrics::add(sum_us, micros);
    EdgeMetrics::add(count);
}

EdgeMetrics* EdgeMetrics::attach(void* memory, std::size_t bytes) {
    if (memory == nullptr || bytes < sizeof(EdgeMetrics)) {
        return nullptr;
    }
    auto* existing = static_cast<EdgeMetrics*>(memory);
    if (existing->magic == kMagic && existing->size == sizeof(EdgeMetrics)) {
        return existing;
    }
    return new (memory) EdgeMetrics();
}

std::string render_prometheus(const EdgeMetrics& m, const CacheGauges& cache) {
    Text t;
    t.family("twake_calendar_edge_auth_total", "counter",
             "Requests authenticated by the edge, by credential method and outcome.");
    for (std::size_t mi = 0; mi < std::size_t(Method::count); ++mi) {
        for (std::size_t oi = 0; oi < std::size_t(Outcome::count); ++oi) {
            t.sample("twake_calendar_edge_auth_total",
                     label("method", kMethods[mi]) + "," + label("outcome", kOutcomes[oi]),
                     load(m.auth[mi][oi]));
        }
    }
    t.family("twake_calendar_edge_auth_source_total", "counter",
             "Successful authentications by where the identity came from (shm, redis, idp).");
    for (std::size_t mi = 0; mi < std::size_t(Method::count); ++mi) {
        for (std::size_t si = 0; si < std::size_t(Source::count); ++si) {
            t.sample("twake_calendar_edge_auth_source_total",
                     label("method", kMethods[mi]) + "," + label("source", kSources[si]),
                     load(m.source[mi][si]));
        }
    }
    t.family("twake_calendar_edge_idp_requests_total", "counter",
             "Token checks at the identity provider (introspection and userinfo in parallel).");
    for (std::size_t ri = 0; ri < std::size_t(CallResult::count); ++ri) {
        t.sample("twake_calendar_edge_idp_requests_total", label("result", kResults[ri]),
                 load(m.idp_calls[ri]));
    }
    t.family("twake_calendar_edge_idp_request_duration_seconds", "histogram",
             "Time for both identity-provider answers of a token check.");
    t.histogram("twake_calendar_edge_idp_request_duration_seconds", m.idp_latency);
    t.family("twake_calendar_edge_redis_lookups_total", "counter",
             "Token lookups in Redis (refused: not there).");
    for (std::size_t ri = 0; ri < std::size_t(CallResult::count); ++ri) {
        t.sample("twake_calendar_edge_redis_lookups_total", label("result", kResults[ri]),
                 load(m.redis_lookups[ri]));
    }
    t.family("twake_calendar_edge_redis_lookup_duration_seconds", "histogram",
             "Time for a Redis token lookup.");
    t.histogram("twake_calendar_edge_redis_lookup_duration_seconds", m.redis_latency);
    t.family("twake_calendar_edge_redis_connection_failures_total", "counter",
             "Redis connections lost or not made (each nginx worker process has two).");
    t.sample("twake_calendar_edge_redis_connection_failures_total", "",
             load(m.redis_connection_failures));
    t.family("twake_calendar_edge_redis_skipped_total", "counter",
             "Token lookups that skipped Redis because it was unreachable.");
    t.sample("twake_calendar_edge_redis_skipped_total", "", load(m.redis_skipped));
    t.family("twake_calendar_edge_revocations_total", "counter",
             "Back-channel logout messages received (once per nginx worker process).");
    t.sample("twake_calendar_edge_revocations_total", "", load(m.revocations));
    t.family("twake_calendar_edge_revoked_entries_total", "counter",
             "First-level entries evicted by back-channel logouts.");
    t.sample("twake_calendar_edge_revoked_entries_total", "", load(m.revoked_entries));
    t.family("twake_calendar_edge_coalesced_total", "counter",
             "Requests that waited for another request's lookup of the same token.");
    t.sample("twake_calendar_edge_coalesced_total", "", load(m.coalesced));
    t.family("twake_calendar_edge_ws_handshakes_total", "counter",
             "WebSocket handshakes (/ws) by result: ok (forwarded to the worker), no_ticket, "
             "malformed, refused (the worker's 401), error (503).");
    for (std::size_t hi = 0; hi < std::size_t(Handshake::count); ++hi) {
        t.sample("twake_calendar_edge_ws_handshakes_total", label("result", kHandshakes[hi]),
                 load(m.ws_handshakes[hi]));
    }

    t.family("twake_calendar_edge_cache_slots", "gauge", "Capacity of the shared-memory cache.");
    t.sample("twake_calendar_edge_cache_slots", "", cache.slots);
    t.family("twake_calendar_edge_cache_entries", "gauge",
             "Entries in the shared-memory cache (tokens, refusals, Basic, domains).");
    t.sample("twake_calendar_edge_cache_entries", "", cache.entries);
    t.family("twake_calendar_edge_cache_lookups_total", "counter",
             "Lookups in the shared-memory cache.");
    t.sample("twake_calendar_edge_cache_lookups_total", label("result", "hit"), cache.hits);
    t.sample("twake_calendar_edge_cache_lookups_total", label("result", "miss"), cache.misses);
    t.family("twake_calendar_edge_cache_inserts_total", "counter",
             "Entries written to the shared-memory cache.");
    t.sample("twake_calendar_edge_cache_inserts_total", "", cache.inserts);
    t.family("twake_calendar_edge_cache_removals_total", "counter",
             "Entries removed from the shared-memory cache, by reason (evicted: the cache is "
             "too small).");
    t.sample("twake_calendar_edge_cache_removals_total", label("reason", "evicted"),
             cache.evictions);
    t.sample("twake_calendar_edge_cache_removals_total", label("reason", "expired"),
             cache.expirations);
    t.sample("twake_calendar_edge_cache_removals_total", label("reason", "erased"), cache.erasures);
    return t.take();
}

}  // namespace twake::edge::metrics
