#pragma once

// Request-target parsing: path segments and query parameters, percent-decoded.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace twake::http {

class Target {
  public:
    // Splits "/a/b%20c?x=1&y" into path "/a/b%20c" and its query. Returns nullopt when the
    // path or the query holds a malformed escape.
    static std::optional<Target> parse(std::string_view target);

    const std::string& path() const { return path_; }
    // Decoded path segments; "/a//b/" gives {"a", "", "b", ""}; "/" gives {""}.
    const std::vector<std::string>& segments() const { return segments_; }
    const std::vector<std::pair<std::string, std::string>>& query() const { return query_; }

    bool has(std::string_view name) const;
    // First value of a query parameter.
    std::optional<std::string> param(std::string_view name) const;
    // Every value of a repeated query parameter, in order.
    std::vector<std::string> params(std::string_view name) const;

  private:
    std::string path_;
    std::vector<std::string> segments_;
    std::vector<std::pair<std::string, std::string>> query_;
};

}  // namespace twake::http
