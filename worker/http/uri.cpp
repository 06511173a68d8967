#include "worker/http/uri.hpp"

#include "shared/text/percent.hpp"

namespace twake::http {

std::optional<Target> Target::parse(std::string_view target) {
    Target t;
    size_t q = target.find('?');
    std::string_view path = target.substr(0, q);
    t.path_ = std::string(path);
    size_t pos = path.empty() || path[0] != '/' ? 0 : 1;
    while (true) {
        size_t slash = path.find('/', pos);
        auto seg = text::percent_decode(path.substr(
            pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos));
        if (!seg) {
            return std::nullopt;
        }
        t.segments_.push_back(std::move(*seg));
        if (slash == std::string_view::npos) {
            break;
        }
        pos = slash + 1;
    }
    if (q != std::string_view::npos) {
        std::string_view query = target.substr(q + 1);
        size_t start = 0;
        while (start <= query.size()) {
            size_t amp = query.find('&', start);
            std::string_view pair = query.substr(
                start, amp == std::string_view::npos ? std::string_view::npos : amp - start);
            if (!pair.empty()) {
                size_t eq = pair.find('=');
                auto name = text::percent_decode(pair.substr(0, eq), true);
                auto value = text::percent_decode(
                    eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
                if (!name || !value) {
                    return std::nullopt;
                }
                t.query_.emplace_back(std::move(*name), std::move(*value));
            }
            if (amp == std::string_view::npos) {
                break;
            }
            start = amp + 1;
        }
    }
    return t;
}

bool Target::has(std::string_view name) const {
    for (const auto& [k, v] : query_) {
        if (k == name) {
            return true;
        }
    }
    return false;
}

std::optional<std::string> Target::param(std::string_view name) const {
    for (const auto& [k, v] : query_) {
        if (k == name) {
            return v;
        }
    }
    return std::nullopt;
}

std::vector<std::string> Target::params(std::string_view name) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : query_) {
        if (k == name) {
            out.push_back(v);
        }
    }
    return out;
}

}  // namespace twake::http
