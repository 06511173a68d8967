#pragma once

// Owning wrappers around libbson and the collection/cursor handles of libmongoc, plus the
// few typed readers the stores need.

#include <bson/bson.h>
#include <mongoc/mongoc.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/json/json.hpp"
#include "worker/store/mongo_pool.hpp"

namespace twake::store {

// An owned BSON document. (A raw pointer rather than unique_ptr: bson_t carries an alignment
// attribute that GCC refuses to propagate through a template argument.)
class Bson {
  public:
    Bson() : doc_(bson_new()) {}
    explicit Bson(bson_t* doc) : doc_(doc) {}  // takes ownership
    Bson(Bson&& other) noexcept : doc_(other.doc_) { other.doc_ = nullptr; }
    Bson& operator=(Bson&& other) noexcept {
        std::swap(doc_, other.doc_);
        return *this;
    }
    Bson(const Bson&) = delete;
    Bson& operator=(const Bson&) = delete;
    ~Bson() {
        if (doc_ != nullptr) {
            bson_destroy(doc_);
        }
    }
    static Bson copy(const bson_t* doc) { return Bson(bson_copy(doc)); }

    bson_t* get() const { return doc_; }
    std::string json() const;  // relaxed Extended JSON, for logs of non-secret documents

  private:
    bson_t* doc_;
};

// A collection handle from a pooled client; both are given back when it ends.
class Collection {
  public:
    Collection(MongoPool& pool, const char* name);
    ~Collection() { mongoc_collection_destroy(collection_); }
    Collection(const Collection&) = delete;
    Collection& operator=(const Collection&) = delete;

    mongoc_collection_t* get() const { return collection_; }
    mongoc_client_t* client() const { return lease_.get(); }

    // find(filter, opts) and its documents, copied out of the cursor.
    std::vector<Bson> find(const bson_t* filter, const bson_t* opts = nullptr);
    // Receives each document of a find, lent until the next one.
    class Visitor {
      public:
        virtual ~Visitor() = default;
        virtual void visit(const bson_t* doc) = 0;
    };
    // The same documents lent to `visitor`, never copied (a large file). (Not a std::function:
    // GCC refuses bson_t's alignment attribute in a template argument.)
    void for_each(const bson_t* filter, const bson_t* opts, Visitor& visitor);
    std::optional<Bson> find_one(const bson_t* filter, const bson_t* opts = nullptr);
    void insert_one(const bson_t* document);
    // Returns matchedCount (and whether it upserted in `upserted`, modifiedCount in `modified`,
    // when given).
    int64_t update_one(const bson_t* filter, const bson_t* update, const bson_t* opts = nullptr,
                       bool* upserted = nullptr, int64_t* modified = nullptr);
    int64_t replace_one(const bson_t* filter, const bson_t* replacement,
                        const bson_t* opts = nullptr);
    int64_t delete_one(const bson_t* filter);
    int64_t delete_many(const bson_t* filter);

  private:
    MongoPool::Lease lease_;
    mongoc_collection_t* collection_;
    std::string name_;
};

// Readers over a borrowed document (nullopt when absent or of another type).
std::optional<std::string> get_string(const bson_t* doc, const char* dotted_key);
std::optional<std::string> get_oid(const bson_t* doc, const char* dotted_key);
std::optional<bool> get_bool(const bson_t* doc, const char* dotted_key);
std::optional<int64_t> get_int(const bson_t* doc, const char* dotted_key);
std::optional<std::chrono::system_clock::time_point> get_date(const bson_t* doc,
                                                              const char* dotted_key);

// Parses 24 hex digits; nullopt for anything else (an invalid id is "not found").
std::optional<bson_oid_t> parse_oid(std::string_view hex);
std::string oid_hex(const bson_oid_t& oid);

// Structural JSON ↔ BSON conversion for stored settings values (docs/reference/mongodb.md §6):
// numbers become int32/int64/double, objects documents; keys starting with '$' are refused (throws
// errors::InvalidInput: they are the client's).
void append_json(bson_t* doc, const char* key, const cJSON* value);
json::Json to_json(const bson_iter_t* iter);

}  // namespace twake::store
