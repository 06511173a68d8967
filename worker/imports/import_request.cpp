#include "worker/imports/import_request.hpp"

#include <vector>

#include "shared/json/json.hpp"
#include "worker/errors/invalid_input.hpp"

namespace twake::imports {

ImportRequest parse_import_request(const std::string& body) {
    auto doc = json::Json::parse(body);
    if (!doc || !cJSON_IsObject(doc->get())) {
        throw errors::InvalidInput("The body is not a JSON object");
    }
    ImportRequest r;
    auto file_id = json::string_member(doc->get(), "fileId");
    if (!file_id || file_id->empty()) {
        throw errors::InvalidInput("fileId must be present");
    }
    auto target = json::string_member(doc->get(), "target");
    if (!target || target->empty()) {
        throw errors::InvalidInput("target must be present");
    }
    r.file_id = *file_id;
    r.target = *target;
    return r;
}

ImportTarget parse_import_target(const std::string& target) {
    std::vector<std::string> parts;
    size_t from = 0;
    while (true) {
        size_t slash = target.find('/', from);
        parts.push_back(target.substr(from, slash == std::string::npos ? slash : slash - from));
        if (slash == std::string::npos) {
            break;
        }
        from = slash + 1;
    }
    if (parts.size() < 4 || !parts[0].empty() ||
        (parts[1] != "calendars" && parts[1] != "addressbooks")) {
        throw errors::InvalidInput("Invalid target path");
    }
    ImportTarget t;
    t.address_book = parts[1] == "addressbooks";
    t.home = parts[2];
    t.collection = parts[3];
    if (t.collection.size() > 5 && t.collection.ends_with(".json")) {
        t.collection.resize(t.collection.size() - 5);
    }
    auto dots = [](const std::string& s) { return s == "." || s == ".."; };
    if (t.home.empty() || t.collection.empty() || dots(t.home) || dots(t.collection)) {
        throw errors::InvalidInput("Invalid target path");
    }
    return t;
}

}  // namespace twake::imports
