#pragma once

// The `twake_calendar_uploaded_files` collection (docs/reference/mongodb.md §15): the files
// POST /api/files keeps for an import, inline, {_id, username, fileName, mimeType, created,
// size (int64), data (binary)}. Files past `upload.expiration` count for nothing even before the
// purge deletes them.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "worker/store/bson.hpp"
#include "worker/store/mongo_pool.hpp"

namespace twake::store {

struct UploadedFile {
    std::string id;  // ObjectId hex
    std::string username;
    std::string file_name;
    std::string mime_type;
    std::chrono::system_clock::time_point created;
    int64_t size = 0;
    std::string data;  // empty in listings
};

// Blocking calls: run them on the blocking pool.
class UploadStore {
  public:
    UploadStore(MongoPool& pool, std::chrono::seconds expiration)
        : pool_(pool), expiration_(expiration) {}

    // A new file's document with `data` as its content (the file's id, created and data
    // ignored), for insert(); its new id in `id`. Pure: built where the bytes are, so that they
    // are copied once (docs/reference/rest-api.md §17.2, memory).
    static Bson document(const UploadedFile& file, std::string_view data,
                         std::chrono::system_clock::time_point created, std::string& id);
    void insert(const Bson& document);
    // The user's file with this id, data included, expired or not (the caller tells which, see
    // expired()); nullopt for another user's.
    std::optional<UploadedFile> get(const std::string& username, const std::string& id);
    // Whether a file is past upload.expiration (the purge deletes it within a minute).
    bool expired(const UploadedFile& file, std::chrono::system_clock::time_point now) const {
        return file.created <= now - expiration_;
    }
    // The user's unexpired files without their data, oldest first.
    std::vector<UploadedFile> list(const std::string& username,
                                   std::chrono::system_clock::time_point now);
    void remove(const std::string& username, const std::string& id);

  private:
    MongoPool& pool_;
    std::chrono::seconds expiration_;
};

}  // namespace twake::store
