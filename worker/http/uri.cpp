#include "worker/http/uri.hpp"

namespace twake::http {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size()) {
                return std::nullopt;
            }
            int hi = hex_value(text[i + 1]);
            int lo = hex_value(text[i + 2]);
            if (hi < 0 || lo < 0) {
                return std::nullopt;
            }
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::string percent_encode_segment(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (unreserved(c)) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
        }
    }
    return out;
}

std::optional<Target> Target::parse(std::string_view target) {
    Target t;
    size_t q = target.find('?');
    std::string_view path = target.substr(0, q);
    t.path_ = std::string(path);
    size_t pos = path.empty() || path[0] != '/' ? 0 : 1;
    while (true) {
        size_t slash = path.find('/', pos);
        auto seg = percent_decode(path.substr(
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
                auto name = percent_decode(pair.substr(0, eq), true);
                auto value = percent_decode(
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
