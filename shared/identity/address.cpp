#include "shared/identity/address.hpp"

#include <cctype>

namespace twake::identity {

namespace {

bool is_ipv4(std::string_view s) {
    int parts = 0;
    size_t pos = 0;
    while (pos <= s.size()) {
        size_t dot = s.find('.', pos);
        std::string_view part =
            s.substr(pos, dot == std::string_view::npos ? s.size() - pos : dot - pos);
        if (part.empty() || part.size() > 3) {
            return false;
        }
        int value = 0;
        for (char c : part) {
            if (!std::isdigit(static_cast<unsigned char>(c))) {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        if (value > 255) {
            return false;
        }
        ++parts;
        if (dot == std::string_view::npos) {
            break;
        }
        pos = dot + 1;
    }
    return parts == 4;
}

}  // namespace

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        c = lower(c);
    }
    return out;
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) {
            return false;
        }
    }
    return true;
}

std::optional<std::string> normalize_domain(std::string_view name) {
    if (name.size() >= 2 && name.front() == '[' && name.back() == ']') {
        name = name.substr(1, name.size() - 2);
    }
    if (name.empty() || name.size() > 253) {
        return std::nullopt;
    }
    std::string result = lower(name);
    if (is_ipv4(result)) {
        return result;
    }
    size_t pos = 0;
    std::string_view last;
    while (true) {
        size_t dot = result.find('.', pos);
        std::string_view label = std::string_view(result).substr(
            pos, dot == std::string::npos ? std::string::npos : dot - pos);
        if (label.empty() || label.size() > 63) {
            return std::nullopt;
        }
        for (char c : label) {
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
                return std::nullopt;
            }
        }
        if (label.front() == '-' || label.front() == '_' || label.back() == '-' ||
            label.back() == '_') {
            return std::nullopt;
        }
        last = label;
        if (dot == std::string::npos) {
            break;
        }
        pos = dot + 1;
    }
    if (std::isdigit(static_cast<unsigned char>(last.front()))) {
        return std::nullopt;
    }
    return result;
}

namespace {

// Splits at the first '@'; `local_ok` judges the local part, kept as given unless
// `lower_local`.
template <class LocalCheck>
std::optional<Address> split_address(std::string_view text, bool lower_local, LocalCheck local_ok) {
    if (text.empty() || text.size() > 255) {
        return std::nullopt;
    }
    size_t at = text.find('@');
    if (at == std::string_view::npos || at == 0) {
        return std::nullopt;
    }
    std::string_view local = text.substr(0, at);
    for (char c : local) {
        if (!local_ok(static_cast<unsigned char>(c))) {
            return std::nullopt;
        }
    }
    auto domain = normalize_domain(text.substr(at + 1));
    if (!domain) {
        return std::nullopt;
    }
    return Address{lower_local ? lower(local) : std::string(local), *domain};
}

}  // namespace

std::optional<Address> parse_address(std::string_view text) {
    return split_address(text, true, [](unsigned char c) { return !std::isspace(c) && c >= 0x20; });
}

std::optional<Address> parse_credential_username(std::string_view text) {
    static constexpr std::string_view kForbidden = "\"(),:; <>@[\\]";
    return split_address(text, false, [](unsigned char c) {
        return c >= 0x20 && c != 0x7f &&
               kForbidden.find(static_cast<char>(c)) == std::string_view::npos;
    });
}

}  // namespace twake::identity
