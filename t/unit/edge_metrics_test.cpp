#include "ngx_module/metrics/edge_metrics.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <sstream>

using namespace twake::edge::metrics;

namespace {

bool has_line(const std::string& text, const std::string& line) {
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) {
        if (l == line) {
            return true;
        }
    }
    return false;
}

struct Block {
    alignas(EdgeMetrics) unsigned char bytes[sizeof(EdgeMetrics)];
};

}  // namespace

TEST(EdgeMetrics, CountsAreRenderedWithTheirLabels) {
    auto block = std::make_unique<Block>();
    EdgeMetrics* m = EdgeMetrics::attach(block->bytes, sizeof block->bytes);
    ASSERT_NE(m, nullptr);
    m->count_auth(Method::oidc, Outcome::ok);
    m->count_auth(Method::oidc, Outcome::ok);
    m->count_auth(Method::basic, Outcome::refused);
    m->count_source(Method::oidc, Source::redis);
    EdgeMetrics::add(m->redis_skipped, 3);
    CacheGauges cache;
    cache.slots = 9362;
    cache.hits = 7;
    std::string text = render_prometheus(*m, cache);
    EXPECT_TRUE(has_line(text, R"(twake_calendar_edge_auth_total{method="oidc",outcome="ok"} 2)"));
    EXPECT_TRUE(
        has_line(text, R"(twake_calendar_edge_auth_total{method="basic",outcome="refused"} 1)"));
    EXPECT_TRUE(
        has_line(text, R"(twake_calendar_edge_auth_source_total{method="oidc",source="redis"} 1)"));
    EXPECT_TRUE(has_line(text, "twake_calendar_edge_redis_skipped_total 3"));
    EXPECT_TRUE(has_line(text, "twake_calendar_edge_cache_slots 9362"));
    EXPECT_TRUE(has_line(text, R"(twake_calendar_edge_cache_lookups_total{result="hit"} 7)"));
    EXPECT_TRUE(has_line(text, "# TYPE twake_calendar_edge_auth_total counter"));
    EXPECT_TRUE(has_line(text, "# TYPE twake_calendar_edge_cache_entries gauge"));
}

TEST(EdgeMetrics, HistogramBucketsAreCumulativeWithInfAndSum) {
    auto block = std::make_unique<Block>();
    EdgeMetrics* m = EdgeMetrics::attach(block->bytes, sizeof block->bytes);
    m->idp_latency.observe(300);        // 0.3 ms: first bucket (0.5 ms)
    m->idp_latency.observe(20'000);     // 20 ms: le 0.025
    m->idp_latency.observe(5'000'000);  // 5 s: beyond the last bucket (2.5 s)
    std::string text = render_prometheus(*m, {});
    const std::string name = "twake_calendar_edge_idp_request_duration_seconds";
    EXPECT_TRUE(has_line(text, name + R"(_bucket{le="0.0005"} 1)"));
    EXPECT_TRUE(has_line(text, name + R"(_bucket{le="0.01"} 1)"));
    EXPECT_TRUE(has_line(text, name + R"(_bucket{le="0.025"} 2)"));
    EXPECT_TRUE(has_line(text, name + R"(_bucket{le="2.5"} 2)"));
    EXPECT_TRUE(has_line(text, name + R"(_bucket{le="+Inf"} 3)"));
    EXPECT_TRUE(has_line(text, name + "_count 3"));
    EXPECT_TRUE(has_line(text, name + "_sum 5.0203"));
    EXPECT_TRUE(has_line(text, "# TYPE " + name + " histogram"));
}

TEST(EdgeMetrics, AttachKeepsTheCountsOfAPreviousConfigurationAndRefusesSmallBlocks) {
    auto block = std::make_unique<Block>();
    EdgeMetrics* first = EdgeMetrics::attach(block->bytes, sizeof block->bytes);
    first->count_auth(Method::jwt, Outcome::unavailable);
    EdgeMetrics* again = EdgeMetrics::attach(block->bytes, sizeof block->bytes);
    EXPECT_EQ(again, first);
    EXPECT_EQ(again->auth[size_t(Method::jwt)][size_t(Outcome::unavailable)].load(), 1u);
    EXPECT_EQ(EdgeMetrics::attach(block->bytes, sizeof(EdgeMetrics) - 1), nullptr);
}

TEST(EdgeMetrics, AttachFormatsGarbage) {
    auto block = std::make_unique<Block>();
    std::fill(std::begin(block->bytes), std::end(block->bytes), 0xAB);
    EdgeMetrics* m = EdgeMetrics::attach(block->bytes, sizeof block->bytes);
    EXPECT_EQ(m->magic, EdgeMetrics::kMagic);
    EXPECT_EQ(m->coalesced.load(), 0u);
}
