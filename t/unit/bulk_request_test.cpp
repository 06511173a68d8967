// The bulk and delete-by-query requests of event indexing (worker/search/bulk_request.hpp).

#include <gtest/gtest.h>

#include <string>

#include "worker/search/bulk_request.hpp"

namespace {

using twake::search::bulk_body;
using twake::search::bulk_delete_body;
using twake::search::bulk_items;
using twake::search::BulkItem;
using twake::search::EventDocument;
using twake::search::EventKey;
using twake::search::matching_ids;
using twake::search::matching_ids_body;
using twake::search::SequenceGuard;
using twake::search::stale_documents_body;

EventDocument document(const std::string& id, std::optional<long long> sequence) {
    EventDocument d;
    d.id = id;
    d.routing = "home";
    d.calendar_url = "home/cal";
    d.uid = "u";
    d.sequence = sequence;
    d.source = R"({"eventUid":"u"})";
    return d;
}

TEST(BulkRequest, PlainIndexWithoutSequenceGuardedUpdateWithOne) {
    std::string body = bulk_body({document("a", std::nullopt), document("b", 4)}, "w");
    EXPECT_EQ(
        body,
        R"({"index":{"_index":"w","_id":"a","routing":"home"}})"
        "\n"
        R"({"eventUid":"u"})"
        "\n"
        R"({"update":{"_index":"w","_id":"b","routing":"home","retry_on_conflict":3}})"
        "\n"
        R"({"script":{"lang":"painless","source":"if (ctx._source.sequence == null || params.sequence > ctx._source.sequence) { ctx._source.putAll(params.doc); } else { ctx.op = 'none'; }","params":{"sequence":4,"doc":{"eventUid":"u"}}},"upsert":{"eventUid":"u"}})"
        "\n");
}

TEST(BulkRequest, WithoutTheGuardEveryDocumentIsAPlainIndex) {
    EXPECT_EQ(bulk_body({document("b", 4)}, "w", SequenceGuard::Off),
              R"({"index":{"_index":"w","_id":"b","routing":"home"}})"
              "\n"
              R"({"eventUid":"u"})"
              "\n");
}

TEST(BulkRequest, StaleDocumentsAreTheHomesNotRewritten) {
    EXPECT_EQ(stale_documents_body("h", {"id1", "id2"}),
              R"({"query":{"bool":{"filter":[{"term":{"baseCalendarId":"h"}}],)"
              R"("must_not":[{"ids":{"values":["id1","id2"]}}]}},"_source":false,"size":10000})");
    EXPECT_EQ(
        stale_documents_body("h", {}),
        R"({"query":{"bool":{"filter":[{"term":{"baseCalendarId":"h"}}]}},"_source":false,"size":10000})");
}

TEST(BulkRequest, ItemsAreWrittenUnchangedRetryableOrRefused) {
    auto items = bulk_items(
        R"({"errors":true,"items":[{"index":{"status":201,"result":"created"}},)"
        R"({"update":{"status":200,"result":"noop"}},)"
        R"({"index":{"status":429,"error":{"type":"es_rejected_execution_exception","reason":"full"}}},)"
        R"({"index":{"status":400,"error":{"type":"mapper_parsing_exception","reason":"bad"}}}]})",
        5);
    ASSERT_EQ(items.size(), 5u);
    EXPECT_EQ(items[0].kind, BulkItem::Kind::Written);
    EXPECT_EQ(items[1].kind, BulkItem::Kind::Unchanged);
    EXPECT_EQ(items[2].kind, BulkItem::Kind::Retryable);
    EXPECT_EQ(items[2].error, "429 es_rejected_execution_exception: full");
    EXPECT_EQ(items[3].kind, BulkItem::Kind::Refused);
    EXPECT_EQ(items[3].error, "400 mapper_parsing_exception: bad");
    EXPECT_EQ(items[4].kind, BulkItem::Kind::Retryable);  // missing from the answer
    EXPECT_EQ(bulk_items("garbage", 1)[0].kind, BulkItem::Kind::Retryable);
}

TEST(BulkRequest, DeletionSearchMatchesEachEventAndKeepsTheWrittenIds) {
    EXPECT_EQ(
        matching_ids_body({EventKey{"h/c", "u1", {}}, EventKey{"h/c", "u2", {"id1"}}}),
        R"({"query":{"bool":{"should":[)"
        R"({"bool":{"must":[{"term":{"calendarURL":"h/c"}},{"term":{"eventUid":"u1"}}]}},)"
        R"({"bool":{"must":[{"term":{"calendarURL":"h/c"}},{"term":{"eventUid":"u2"}}],"must_not":[{"ids":{"values":["id1"]}}]}}],)"
        R"("minimum_should_match":1}},"_source":false,"size":10000})");
}

TEST(BulkRequest, FoundDocumentsAreDeletedWithTheirRouting) {
    auto found = matching_ids(
        R"({"hits":{"total":{"value":2},"hits":[{"_id":"a","_routing":"h"},{"_id":"b"}]}})");
    ASSERT_TRUE(found.has_value());
    ASSERT_EQ(found->size(), 2u);
    EXPECT_EQ(bulk_delete_body(*found, "w"), R"({"delete":{"_index":"w","_id":"a","routing":"h"}})"
                                             "\n"
                                             R"({"delete":{"_index":"w","_id":"b"}})"
                                             "\n");
    EXPECT_FALSE(matching_ids("{}").has_value());
}

}  // namespace
