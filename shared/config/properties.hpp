#pragma once

// Java `.properties` files as upstream reads them (Apache Commons Configuration):
// `key=value`, `key: value` or `key value`; `#`/`!` comments; `\` line continuations and
// escapes; `${env:NAME}` replaced by an environment variable and `${other.key}` by another
// key of the same file. A comma-separated list is read explicitly with `list()`.

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/config/config_error.hpp"

namespace twake::config {

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// Reads the process environment.
std::optional<std::string> process_env(const std::string& name);

class Properties {
  public:
    // `origin` names the source in error messages (usually the file name).
    static Properties parse(std::string_view text, std::string origin,
                            const EnvLookup& env = process_env);
    // Throws ConfigError when the file cannot be read or parsed.
    static Properties load(const std::filesystem::path& file, const EnvLookup& env = process_env);

    const std::string& origin() const { return origin_; }
    bool contains(std::string_view key) const;
    std::optional<std::string> get(std::string_view key) const;
    std::string get_or(std::string_view key, std::string_view fallback) const;
    // Comma-separated list: items trimmed, empty items dropped; absent key → empty list.
    std::vector<std::string> list(std::string_view key) const;
    const std::map<std::string, std::string, std::less<>>& entries() const { return entries_; }

    // Keys defined more than once (the first definition wins, as upstream reads it).
    const std::vector<std::string>& duplicates() const { return duplicates_; }

  private:
    std::string origin_;
    std::map<std::string, std::string, std::less<>> entries_;
    std::vector<std::string> duplicates_;
};

std::string trim(std::string_view text);

// Replaces every `${env:NAME}` of `value` by the environment variable; `where` names the
// value in the ConfigError thrown for an unset variable or another kind of reference.
std::string expand_env(const std::string& value, const std::string& where,
                       const EnvLookup& env = process_env);

}  // namespace twake::config
