#include "worker/imports/upload_request.hpp"

#include <algorithm>
#include <charconv>

#include "shared/identity/address.hpp"
#include "worker/errors/invalid_input.hpp"

namespace twake::imports {

namespace {

bool blank(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

// A header parameter's value (boundary="x" or boundary=x) of `header`; empty when absent.
std::string header_parameter(std::string_view header, std::string_view name) {
    std::string lower = identity::lower(header);
    std::string key = std::string(name) + "=";
    size_t at = 0;
    while ((at = lower.find(key, at)) != std::string::npos) {
        bool starts = at == 0 || lower[at - 1] == ';' || lower[at - 1] == ' ';
        at += key.size();
        if (!starts) {
            continue;
        }
        if (at < header.size() && header[at] == '"') {
            size_t end = header.find('"', at + 1);
            return std::string(header.substr(
                at + 1, end == std::string_view::npos ? std::string_view::npos : end - at - 1));
        }
        size_t end = header.find(';', at);
        std::string_view value =
            header.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
        while (!value.empty() && value.back() == ' ') {
            value.remove_suffix(1);
        }
        return std::string(value);
    }
    return "";
}

}  // namespace

UploadRequest parse_upload_request(const std::optional<std::string>& name,
                                   const std::optional<std::string>& size,
                                   const std::optional<std::string>& mimetype, int64_t user_limit) {
    UploadRequest r;
    if (!name || blank(*name)) {
        throw errors::InvalidInput("Missing name param");
    }
    r.name = *name;
    if (!size || size->empty()) {
        throw errors::InvalidInput("Missing size param");
    }
    auto [end, ec] = std::from_chars(size->data(), size->data() + size->size(), r.declared_size);
    if (ec != std::errc() || end != size->data() + size->size() || r.declared_size < 0) {
        throw errors::InvalidInput("Invalid size param: " + *size);
    }
    if (!mimetype || mimetype->empty()) {
        throw errors::InvalidInput("Missing mimetype param");
    }
    std::string mime = identity::lower(*mimetype);
    if (mime != kCalendarMime && mime != kVcardMime) {
        throw errors::InvalidInput("Unknown uploaded MIME type: " + *mimetype);
    }
    r.mime_type = mime;
    if (r.declared_size > user_limit) {
        throw errors::InvalidInput("File size exceeds user total upload limit");
    }
    return r;
}

std::string_view uploaded_content(std::string_view body, std::string_view content_type) {
    if (identity::lower(content_type.substr(0, 19)) != "multipart/form-data") {
        return body;
    }
    std::string boundary = header_parameter(content_type, "boundary");
    if (boundary.empty()) {
        throw errors::InvalidInput("multipart/form-data without a boundary");
    }
    const std::string delimiter = "--" + boundary;
    std::optional<std::string_view> first;
    size_t at = body.find(delimiter);
    while (at != std::string_view::npos) {
        size_t headers_start = body.find("\r\n", at);
        if (headers_start == std::string_view::npos ||
            body.compare(at + delimiter.size(), 2, "--") == 0) {
            break;  // the closing delimiter
        }
        size_t headers_end = body.find("\r\n\r\n", headers_start);
        size_t next = body.find("\r\n" + delimiter, headers_end);
        if (headers_end == std::string_view::npos || next == std::string_view::npos) {
            break;
        }
        std::string_view headers(body.data() + headers_start, headers_end - headers_start);
        size_t content = headers_end + 4;
        bool is_file = identity::lower(headers).find("filename=") != std::string::npos;
        if (is_file) {
            return body.substr(content, next - content);
        }
        if (!first) {
            first = body.substr(content, next - content);
        }
        at = next + 2;
    }
    if (!first) {
        throw errors::InvalidInput("multipart/form-data without a part");
    }
    return *first;
}

std::vector<std::string> uploads_to_evict(const std::vector<store::UploadedFile>& oldest_first,
                                          int64_t limit, int64_t incoming) {
    int64_t used = 0;
    for (const auto& f : oldest_first) {
        used += f.size;
    }
    int64_t needed = incoming - (limit - used);
    std::vector<std::string> out;
    for (const auto& f : oldest_first) {
        if (needed <= 0) {
            break;
        }
        out.push_back(f.id);
        needed -= f.size;
    }
    return out;
}

}  // namespace twake::imports
