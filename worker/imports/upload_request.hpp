#pragma once

// What POST /api/files asks, checked (docs/reference/rest-api.md §17.1): its parameters, the
// file's bytes out of the body, and which older uploads make room for it under the per-user
// limit. Pure; refusals throw errors::InvalidInput with upstream's details.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "worker/store/upload_store.hpp"

namespace twake::imports {

inline constexpr std::string_view kCalendarMime = "text/calendar";
inline constexpr std::string_view kVcardMime = "text/vcard";

struct UploadRequest {
    std::string name;
    int64_t declared_size = 0;
    std::string mime_type;  // kCalendarMime or kVcardMime
};

// From the query's name, size and mimetype (each nullopt when absent); `user_limit` is
// upload.user.total.limit.
UploadRequest parse_upload_request(const std::optional<std::string>& name,
                                   const std::optional<std::string>& size,
                                   const std::optional<std::string>& mimetype, int64_t user_limit);

// The file in the body: the body itself, or with a multipart/form-data Content-Type its
// first part that names a file (else its first part).
std::string_view uploaded_content(std::string_view body, std::string_view content_type);

// The ids of the user's uploads (oldest first, as listed) to delete so that `incoming` more
// bytes fit under `limit`: the oldest first until enough is freed.
std::vector<std::string> uploads_to_evict(const std::vector<store::UploadedFile>& oldest_first,
                                          int64_t limit, int64_t incoming);

}  // namespace twake::imports
