#pragma once

// RAII ownership of cJSON trees, and the few builders and readers the project needs.

#include <cjson/cJSON.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace twake::json {

struct CJsonDelete {
    void operator()(cJSON* node) const { cJSON_Delete(node); }
};

// Owns a whole cJSON tree. Nodes added to it with `add` are owned by the tree.
class Json {
  public:
    Json() = default;
    explicit Json(cJSON* node) : node_(node) {}

    static Json object();
    static Json array();
    // A deep copy of a borrowed node (null JSON when `node` is nullptr).
    static Json copy_of(const cJSON* node);
    static Json null();
    // Parses UTF-8 JSON text; nullopt when it is not valid JSON.
    static std::optional<Json> parse(std::string_view text);

    cJSON* get() const { return node_.get(); }
    // Gives up ownership (for handing the node to another tree).
    cJSON* release() { return node_.release(); }
    explicit operator bool() const { return node_ != nullptr; }

    // Object members (replace an existing member of that name).
    Json& set(const char* key, std::string_view value);
    Json& set(const char* key, const char* value) { return set(key, std::string_view(value)); }
    Json& set(const char* key, double value);
    Json& set(const char* key, int value) { return set(key, static_cast<double>(value)); }
    Json& set(const char* key, bool value);
    Json& set_null(const char* key);
    Json& set(const char* key, Json child);

    // Array items.
    Json& push(Json child);
    Json& push(std::string_view value);

    std::string dump() const;

  private:
    std::unique_ptr<cJSON, CJsonDelete> node_;

    Json& replace_member(const char* key, cJSON* item);
};

// Readers over borrowed nodes (nullptr-safe).
std::optional<std::string> string_member(const cJSON* object, const char* key);
std::optional<double> number_member(const cJSON* object, const char* key);
// A number that is an integer JSON can carry exactly (|n| ≤ 2^53), as what outside input says
// a status, a version or a SEQUENCE is; nullopt otherwise (a fraction, 1e300, not a number).
// Converting any other double to an integer type is undefined behaviour.
std::optional<long long> integer_value(const cJSON* item);
std::optional<long long> integer_member(const cJSON* object, const char* key);
std::optional<bool> bool_member(const cJSON* object, const char* key);

// JSON string literal (quoted, escaped) for hand-built output such as log lines.
std::string quote(std::string_view text);

}  // namespace twake::json
