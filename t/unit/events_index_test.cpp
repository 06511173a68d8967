// The events index: its keys, settings and mapping, and the check of an existing index
// (worker/search/opensearch_config.hpp, events_index_mapping.hpp).

#include <gtest/gtest.h>

#include <string>

#include "shared/config/properties.hpp"
#include "shared/json/json.hpp"
#include "worker/search/events_index_mapping.hpp"
#include "worker/search/opensearch_config.hpp"

namespace {

using twake::config::ConfigError;
using twake::config::Properties;
using twake::search::events_index_body;
using twake::search::events_mapping_conflict;
using twake::search::EventsIndexConfig;
using twake::search::read_opensearch_config;

twake::search::OpenSearchConfig read(const std::string& text) {
    return read_opensearch_config(Properties::parse("opensearch.hosts=h:9200\n" + text, "t"));
}

TEST(EventsIndex, KeysHaveUpstreamDefaults) {
    auto c = read("");
    EXPECT_EQ(c.events.index, "calendar-events");
    EXPECT_EQ(c.events.read_alias, "calendar-events-read");
    EXPECT_EQ(c.events.write_alias, "calendar-events-write");
    EXPECT_EQ(c.events.min_ngram, 3);
    EXPECT_EQ(c.events.max_ngram_diff, 4);
    EXPECT_EQ(c.events.shards, 5);
    EXPECT_EQ(c.events.replicas, 1);
    EXPECT_TRUE(c.events.summary_search_prefix);
    EXPECT_FALSE(c.events.fuzzy_search);
    EXPECT_TRUE(c.verify_peer);
    EXPECT_TRUE(c.verify_host);
}

TEST(EventsIndex, KeysAreChecked) {
    EXPECT_THROW(read("opensearch.index.calendar.events.min.ngram=0\n"), ConfigError);
    EXPECT_THROW(read("opensearch.nb.shards=x\n"), ConfigError);
    EXPECT_THROW(read("opensearch.index.calendar.events.fuzzySearch=yes\n"), ConfigError);
    EXPECT_THROW(read("opensearch.hostScheme.https.sslValidationStrategy=override\n"), ConfigError);
    auto c = read(
        "opensearch.nb.replica=0\nopensearch.hostScheme.https.sslValidationStrategy=ignore\n"
        "opensearch.hostScheme.https.hostNameVerifier=accept_any_hostname\n");
    EXPECT_EQ(c.events.replicas, 0);
    EXPECT_FALSE(c.verify_peer);
    EXPECT_FALSE(c.verify_host);
}

TEST(EventsIndex, BodyHasTheNgramsShardsAndPrefixField) {
    EventsIndexConfig config;
    config.min_ngram = 2;
    config.max_ngram_diff = 5;
    auto body = twake::json::Json::parse(events_index_body(config));
    ASSERT_TRUE(body.has_value());
    const cJSON* settings = cJSON_GetObjectItem(body->get(), "settings");
    EXPECT_EQ(cJSON_GetObjectItem(settings, "number_of_shards")->valueint, 5);
    const cJSON* edge = cJSON_GetObjectItem(
        cJSON_GetObjectItem(cJSON_GetObjectItem(settings, "analysis"), "filter"),
        "edge_ngram_filter");
    EXPECT_EQ(cJSON_GetObjectItem(edge, "min_gram")->valueint, 2);
    EXPECT_EQ(cJSON_GetObjectItem(edge, "max_gram")->valueint, 7);
    const cJSON* props =
        cJSON_GetObjectItem(cJSON_GetObjectItem(body->get(), "mappings"), "properties");
    const cJSON* summary = cJSON_GetObjectItem(props, "summary");
    EXPECT_NE(cJSON_GetObjectItem(cJSON_GetObjectItem(summary, "fields"), "prefix"), nullptr);
    config.summary_search_prefix = false;
    EXPECT_EQ(events_index_body(config).find("\"prefix\""), std::string::npos);
}

std::string mapping_response(const std::string& properties) {
    return R"({"calendar-events":{"mappings":{"properties":)" + properties + "}}}";
}

TEST(EventsIndex, ExistingMappingThatAgreesOrLacksFieldsIsKept) {
    EventsIndexConfig config;
    auto ours = twake::json::Json::parse(events_index_body(config));
    std::string properties =
        twake::json::Json::copy_of(
            cJSON_GetObjectItem(cJSON_GetObjectItem(ours->get(), "mappings"), "properties"))
            .dump();
    EXPECT_EQ(events_mapping_conflict(config, mapping_response(properties)), std::nullopt);
    EXPECT_EQ(events_mapping_conflict(config, mapping_response(R"({"start":{"type":"date"}})")),
              std::nullopt);
}

TEST(EventsIndex, ConflictNamesTheFieldAndBothTypes) {
    EventsIndexConfig config;
    EXPECT_EQ(events_mapping_conflict(config, mapping_response(R"({"start":{"type":"text"}})")),
              "'start' is 'text', expected 'date'");
    EXPECT_EQ(
        events_mapping_conflict(
            config, mapping_response(R"({"organizer":{"properties":{"email":{"type":"long"}}}})")),
        "'organizer.email' is 'long', expected 'text'");
    EXPECT_EQ(
        events_mapping_conflict(config, mapping_response(R"({"attendees":{"type":"keyword"}})")),
        "'attendees' is 'keyword', expected 'object'");
    EXPECT_TRUE(events_mapping_conflict(config, "not json").has_value());
}

}  // namespace
