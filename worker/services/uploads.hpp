#pragma once

// The uploads of POST /api/files (docs/reference/rest-api.md §17.1): stored under the user's
// total limit, the oldest evicted to make room, found again by the import.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "worker/imports/upload_request.hpp"
#include "worker/runtime/awaitable.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/store/upload_store.hpp"

namespace twake::services {

class Uploads {
  public:
    Uploads(runtime::BlockingPool& blocking, store::UploadStore& store, int64_t user_limit)
        : blocking_(blocking), store_(store), user_limit_(user_limit) {}

    // Deletes the user's oldest uploads until `content` fits under the limit, then stores it;
    // returns the new id. `content` is copied once, into the stored document.
    runtime::Awaitable<std::string> save(const std::string& user,
                                         const imports::UploadRequest& request,
                                         std::string_view content) const;

    // The user's upload, content included; nullopt when unknown or another user's. Throws
    // errors::InvalidInput "Uploaded file has expired" past upload.expiration.
    runtime::Awaitable<std::optional<store::UploadedFile>> find(const std::string& user,
                                                                const std::string& id) const;

  private:
    runtime::BlockingPool& blocking_;
    store::UploadStore& store_;
    int64_t user_limit_;
};

}  // namespace twake::services
