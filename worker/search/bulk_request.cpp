#include "worker/search/bulk_request.hpp"

#include "shared/json/json.hpp"

namespace twake::search {

namespace {

using json::Json;

const char* kSequenceScript =
    "if (ctx._source.sequence == null || params.sequence > ctx._source.sequence) { "
    "ctx._source.putAll(params.doc); } else { ctx.op = 'none'; }";

Json action_meta(const EventDocument& d, const std::string& alias, bool update) {
    Json meta = Json::object();
    meta.set("_index", alias);
    meta.set("_id", d.id);
    meta.set("routing", d.routing);
    if (update) {
        meta.set("retry_on_conflict", 3);
    }
    Json action = Json::object();
    action.set(update ? "update" : "index", std::move(meta));
    return action;
}

Json term(const char* field, const std::string& value) {
    Json inner = Json::object();
    inner.set(field, value);
    Json t = Json::object();
    t.set("term", std::move(inner));
    return t;
}

// The `must_not` list excluding these document ids.
Json not_these_ids(const std::vector<std::string>& keep) {
    Json values = Json::array();
    for (const auto& id : keep) {
        values.push(id);
    }
    Json ids_inner = Json::object();
    ids_inner.set("values", std::move(values));
    Json ids = Json::object();
    ids.set("ids", std::move(ids_inner));
    Json must_not = Json::array();
    must_not.push(std::move(ids));
    return must_not;
}

}  // namespace

std::string bulk_body(const std::vector<EventDocument>& documents, const std::string& alias,
                      SequenceGuard guard) {
    std::string body;
    for (const EventDocument& d : documents) {
        const bool guarded = guard == SequenceGuard::On && d.sequence.has_value();
        body += action_meta(d, alias, guarded).dump();
        body += '\n';
        if (!guarded) {
            body += d.source;
        } else {
            auto source = Json::parse(d.source);
            Json params = Json::object();
            params.set("sequence", static_cast<double>(*d.sequence));
            params.set("doc", Json::copy_of(source ? source->get() : nullptr));
            Json script = Json::object();
            script.set("lang", "painless");
            script.set("source", kSequenceScript);
            script.set("params", std::move(params));
            Json update = Json::object();
            update.set("script", std::move(script));
            update.set("upsert", Json::copy_of(source ? source->get() : nullptr));
            body += update.dump();
        }
        body += '\n';
    }
    return body;
}

bool retryable_status(long status) {
    return status == 429 || status >= 500 || status == 0;
}

std::vector<BulkItem> bulk_items(std::string_view response, std::size_t count) {
    std::vector<BulkItem> items(count, BulkItem{BulkItem::Kind::Retryable, "no answer"});
    auto doc = Json::parse(response);
    const cJSON* list = doc ? cJSON_GetObjectItemCaseSensitive(doc->get(), "items") : nullptr;
    std::size_t i = 0;
    const cJSON* entry = nullptr;
    cJSON_ArrayForEach(entry, list) {
        if (i >= count) {
            break;
        }
        const cJSON* result = entry->child;  // {"index": {…}} or {"update": {…}}
        // An answer that is no HTTP status reads as none: retried like a missing answer.
        long status = static_cast<long>(json::integer_member(result, "status").value_or(0));
        auto outcome = json::string_member(result, "result").value_or("");
        BulkItem& item = items[i++];
        if (status >= 200 && status < 300) {
            item.kind = outcome == "noop" ? BulkItem::Kind::Unchanged : BulkItem::Kind::Written;
            item.error.clear();
            continue;
        }
        const cJSON* error = cJSON_GetObjectItemCaseSensitive(result, "error");
        std::string reason = json::string_member(error, "type").value_or("error") + ": " +
                             json::string_member(error, "reason").value_or("");
        item.kind = retryable_status(status) ? BulkItem::Kind::Retryable : BulkItem::Kind::Refused;
        item.error = std::to_string(status) + " " + reason;
    }
    return items;
}

std::string matching_ids_body(const std::vector<EventKey>& events) {
    Json should = Json::array();
    for (const EventKey& e : events) {
        Json must = Json::array();
        must.push(term("calendarURL", e.calendar_url));
        must.push(term("eventUid", e.uid));
        Json clause = Json::object();
        clause.set("must", std::move(must));
        if (!e.keep.empty()) {
            clause.set("must_not", not_these_ids(e.keep));
        }
        Json b = Json::object();
        b.set("bool", std::move(clause));
        should.push(std::move(b));
    }
    Json outer = Json::object();
    outer.set("should", std::move(should));
    outer.set("minimum_should_match", 1);
    Json query = Json::object();
    query.set("bool", std::move(outer));
    Json body = Json::object();
    body.set("query", std::move(query));
    body.set("_source", false);
    body.set("size", 10000);
    return body.dump();
}

std::string stale_documents_body(const std::string& home, const std::vector<std::string>& keep) {
    Json filter = Json::array();
    filter.push(term("baseCalendarId", home));
    Json clause = Json::object();
    clause.set("filter", std::move(filter));
    if (!keep.empty()) {
        clause.set("must_not", not_these_ids(keep));
    }
    Json query = Json::object();
    query.set("bool", std::move(clause));
    Json body = Json::object();
    body.set("query", std::move(query));
    body.set("_source", false);
    body.set("size", 10000);
    return body.dump();
}

std::optional<std::vector<DocumentRef>> matching_ids(std::string_view response) {
    auto doc = Json::parse(response);
    const cJSON* outer = doc ? cJSON_GetObjectItemCaseSensitive(doc->get(), "hits") : nullptr;
    const cJSON* hits = cJSON_GetObjectItemCaseSensitive(outer, "hits");
    if (!cJSON_IsArray(hits)) {
        return std::nullopt;
    }
    std::vector<DocumentRef> found;
    const cJSON* hit = nullptr;
    cJSON_ArrayForEach(hit, hits) {
        auto id = json::string_member(hit, "_id");
        if (id) {
            found.push_back({*id, json::string_member(hit, "_routing").value_or("")});
        }
    }
    return found;
}

std::string bulk_delete_body(const std::vector<DocumentRef>& documents, const std::string& alias) {
    std::string body;
    for (const DocumentRef& d : documents) {
        Json meta = Json::object();
        meta.set("_index", alias);
        meta.set("_id", d.id);
        if (!d.routing.empty()) {
            meta.set("routing", d.routing);
        }
        Json action = Json::object();
        action.set("delete", std::move(meta));
        body += action.dump();
        body += '\n';
    }
    return body;
}

}  // namespace twake::search
