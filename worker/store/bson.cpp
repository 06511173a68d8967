#include "worker/store/bson.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "worker/errors/invalid_input.hpp"
#include "worker/store/store_error.hpp"

namespace twake::store {

namespace {

struct CursorDelete {
    void operator()(mongoc_cursor_t* c) const { mongoc_cursor_destroy(c); }
};

struct CharsDelete {
    void operator()(char* s) const { bson_free(s); }
};

bool find_key(const bson_t* doc, const char* dotted, bson_iter_t& out) {
    bson_iter_t it;
    return bson_iter_init(&it, doc) && bson_iter_find_descendant(&it, dotted, &out);
}

int64_t reply_count(const bson_t& reply, const char* key) {
    bson_iter_t it;
    if (bson_iter_init_find(&it, &reply, key) &&
        (BSON_ITER_HOLDS_INT32(&it) || BSON_ITER_HOLDS_INT64(&it))) {
        return bson_iter_as_int64(&it);
    }
    return 0;
}

}  // namespace

std::string Bson::json() const {
    size_t length = 0;
    std::unique_ptr<char, CharsDelete> text(bson_as_relaxed_extended_json(doc_, &length));
    return text ? std::string(text.get(), length) : std::string();
}

Collection::Collection(MongoPool& pool, const char* name)
    : lease_(pool.acquire()),
      collection_(mongoc_client_get_collection(lease_.get(), pool.database().c_str(), name)),
      name_(name) {}

std::vector<Bson> Collection::find(const bson_t* filter, const bson_t* opts) {
    struct Copies : Visitor {
        std::vector<Bson> docs;
        void visit(const bson_t* doc) override { docs.push_back(Bson::copy(doc)); }
    } copies;
    for_each(filter, opts, copies);
    return std::move(copies.docs);
}

void Collection::for_each(const bson_t* filter, const bson_t* opts, Visitor& visitor) {
    std::unique_ptr<mongoc_cursor_t, CursorDelete> cursor(
        mongoc_collection_find_with_opts(collection_, filter, opts, nullptr));
    const bson_t* doc = nullptr;
    while (mongoc_cursor_next(cursor.get(), &doc)) {
        visitor.visit(doc);
    }
    bson_error_t error;
    if (mongoc_cursor_error(cursor.get(), &error)) {
        throw store_error(error, "find in " + name_);
    }
}

std::optional<Bson> Collection::find_one(const bson_t* filter, const bson_t* opts) {
    Bson limited;
    if (opts != nullptr) {
        bson_copy_to_excluding_noinit(opts, limited.get(), "limit", nullptr);
    }
    BSON_APPEND_INT64(limited.get(), "limit", 1);
    auto docs = find(filter, limited.get());
    if (docs.empty()) {
        return std::nullopt;
    }
    return std::move(docs.front());
}

void Collection::insert_one(const bson_t* document) {
    bson_error_t error;
    if (!mongoc_collection_insert_one(collection_, document, nullptr, nullptr, &error)) {
        throw store_error(error, "insert into " + name_);
    }
}

int64_t Collection::update_one(const bson_t* filter, const bson_t* update, const bson_t* opts,
                               bool* upserted, int64_t* modified) {
    bson_t reply;
    bson_error_t error;
    bool ok = mongoc_collection_update_one(collection_, filter, update, opts, &reply, &error);
    int64_t matched = reply_count(reply, "matchedCount");
    if (upserted != nullptr) {
        *upserted = reply_count(reply, "upsertedCount") > 0;
    }
    if (modified != nullptr) {
        *modified = reply_count(reply, "modifiedCount");
    }
    bson_destroy(&reply);
    if (!ok) {
        throw store_error(error, "update in " + name_);
    }
    return matched;
}

int64_t Collection::replace_one(const bson_t* filter, const bson_t* replacement,
                                const bson_t* opts) {
    bson_t reply;
    bson_error_t error;
    bool ok = mongoc_collection_replace_one(collection_, filter, replacement, opts, &reply, &error);
    int64_t matched = reply_count(reply, "matchedCount") + reply_count(reply, "upsertedCount");
    bson_destroy(&reply);
    if (!ok) {
        throw store_error(error, "replace in " + name_);
    }
    return matched;
}

int64_t Collection::delete_one(const bson_t* filter) {
    bson_t reply;
    bson_error_t error;
    bool ok = mongoc_collection_delete_one(collection_, filter, nullptr, &reply, &error);
    int64_t deleted = reply_count(reply, "deletedCount");
    bson_destroy(&reply);
    if (!ok) {
        throw store_error(error, "delete in " + name_);
    }
    return deleted;
}

int64_t Collection::delete_many(const bson_t* filter) {
    bson_t reply;
    bson_error_t error;
    bool ok = mongoc_collection_delete_many(collection_, filter, nullptr, &reply, &error);
    int64_t deleted = reply_count(reply, "deletedCount");
    bson_destroy(&reply);
    if (!ok) {
        throw store_error(error, "delete in " + name_);
    }
    return deleted;
}

std::optional<std::string> get_string(const bson_t* doc, const char* dotted_key) {
    bson_iter_t it;
    if (!find_key(doc, dotted_key, it) || !BSON_ITER_HOLDS_UTF8(&it)) {
        return std::nullopt;
    }
    uint32_t length = 0;
    const char* s = bson_iter_utf8(&it, &length);
    return std::string(s, length);
}

std::optional<std::string> get_oid(const bson_t* doc, const char* dotted_key) {
    bson_iter_t it;
    if (!find_key(doc, dotted_key, it)) {
        return std::nullopt;
    }
    if (BSON_ITER_HOLDS_OID(&it)) {
        return oid_hex(*bson_iter_oid(&it));
    }
    if (BSON_ITER_HOLDS_UTF8(&it)) {  // esn-sabre fixtures sometimes store ids as strings
        uint32_t length = 0;
        // Two statements: argument evaluation order would leave `length` unset.
        const char* text = bson_iter_utf8(&it, &length);
        std::string s(text, length);
        if (parse_oid(s)) {
            return s;
        }
    }
    return std::nullopt;
}

std::optional<bool> get_bool(const bson_t* doc, const char* dotted_key) {
    bson_iter_t it;
    if (!find_key(doc, dotted_key, it) || !BSON_ITER_HOLDS_BOOL(&it)) {
        return std::nullopt;
    }
    return bson_iter_bool(&it);
}

std::optional<int64_t> get_int(const bson_t* doc, const char* dotted_key) {
    bson_iter_t it;
    if (!find_key(doc, dotted_key, it) ||
        !(BSON_ITER_HOLDS_INT32(&it) || BSON_ITER_HOLDS_INT64(&it) ||
          BSON_ITER_HOLDS_DOUBLE(&it))) {
        return std::nullopt;
    }
    return bson_iter_as_int64(&it);
}

std::optional<std::chrono::system_clock::time_point> get_date(const bson_t* doc,
                                                              const char* dotted_key) {
    bson_iter_t it;
    if (!find_key(doc, dotted_key, it) || !BSON_ITER_HOLDS_DATE_TIME(&it)) {
        return std::nullopt;
    }
    return std::chrono::system_clock::time_point(
        std::chrono::milliseconds(bson_iter_date_time(&it)));
}

std::optional<bson_oid_t> parse_oid(std::string_view hex) {
    if (hex.size() != 24) {
        return std::nullopt;
    }
    for (char c : hex) {
        bool digit = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (!digit) {
            return std::nullopt;
        }
    }
    std::string s(hex);
    bson_oid_t oid;
    bson_oid_init_from_string(&oid, s.c_str());
    return oid;
}

std::string oid_hex(const bson_oid_t& oid) {
    char buf[25];
    bson_oid_to_string(&oid, buf);
    return buf;
}

void append_json(bson_t* doc, const char* key, const cJSON* value) {
    if (cJSON_IsNull(value) || value == nullptr) {
        BSON_APPEND_NULL(doc, key);
    } else if (cJSON_IsBool(value)) {
        BSON_APPEND_BOOL(doc, key, cJSON_IsTrue(value));
    } else if (cJSON_IsNumber(value)) {
        double d = value->valuedouble;
        if (std::floor(d) == d && std::fabs(d) < 9.0e15) {
            auto n = static_cast<int64_t>(d);
            if (n >= std::numeric_limits<int32_t>::min() &&
                n <= std::numeric_limits<int32_t>::max()) {
                BSON_APPEND_INT32(doc, key, static_cast<int32_t>(n));
            } else {
                BSON_APPEND_INT64(doc, key, n);
            }
        } else {
            BSON_APPEND_DOUBLE(doc, key, d);
        }
    } else if (cJSON_IsString(value)) {
        BSON_APPEND_UTF8(doc, key, value->valuestring);
    } else if (cJSON_IsArray(value)) {
        bson_t child;
        BSON_APPEND_ARRAY_BEGIN(doc, key, &child);
        int index = 0;
        for (const cJSON* item = value->child; item != nullptr; item = item->next, ++index) {
            std::string k = std::to_string(index);
            append_json(&child, k.c_str(), item);
        }
        bson_append_array_end(doc, &child);
    } else if (cJSON_IsObject(value)) {
        bson_t child;
        BSON_APPEND_DOCUMENT_BEGIN(doc, key, &child);
        for (const cJSON* item = value->child; item != nullptr; item = item->next) {
            if (item->string == nullptr || item->string[0] == '$' ||
                std::string_view(item->string).find('.') != std::string_view::npos) {
                bson_append_document_end(doc, &child);
                throw errors::InvalidInput("keys may not start with '$' or contain '.'");
            }
            append_json(&child, item->string, item);
        }
        bson_append_document_end(doc, &child);
    } else {
        BSON_APPEND_NULL(doc, key);
    }
}

json::Json to_json(const bson_iter_t* iter) {
    bson_iter_t it = *iter;
    switch (bson_iter_type(&it)) {
        case BSON_TYPE_UTF8: {
            uint32_t length = 0;
            const char* s = bson_iter_utf8(&it, &length);
            return json::Json(cJSON_CreateString(std::string(s, length).c_str()));
        }
        case BSON_TYPE_BOOL:
            return json::Json(cJSON_CreateBool(bson_iter_bool(&it)));
        case BSON_TYPE_INT32:
        case BSON_TYPE_INT64:
        case BSON_TYPE_DOUBLE:
            return json::Json(cJSON_CreateNumber(bson_iter_as_double(&it)));
        case BSON_TYPE_OID:
            return json::Json(cJSON_CreateString(oid_hex(*bson_iter_oid(&it)).c_str()));
        case BSON_TYPE_DOCUMENT: {
            json::Json o = json::Json::object();
            bson_iter_t child;
            bson_iter_recurse(&it, &child);
            while (bson_iter_next(&child)) {
                o.set(bson_iter_key(&child), to_json(&child));
            }
            return o;
        }
        case BSON_TYPE_ARRAY: {
            json::Json a = json::Json::array();
            bson_iter_t child;
            bson_iter_recurse(&it, &child);
            while (bson_iter_next(&child)) {
                a.push(to_json(&child));
            }
            return a;
        }
        default:
            return json::Json(cJSON_CreateNull());
    }
}

}  // namespace twake::store
