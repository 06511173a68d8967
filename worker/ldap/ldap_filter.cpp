#include "worker/ldap/ldap_filter.hpp"

#include <cctype>

namespace twake::ldap {

namespace {

// A recursive-descent reader of RFC 4515's grammar; each step advances `at` or fails.
class FilterReader {
  public:
    explicit FilterReader(std::string_view text) : text_(text) {}

    bool whole_filter() { return filter(0) && at_ == text_.size(); }

  private:
    static constexpr int kMaxDepth = 64;  // a hostile filter must not exhaust the stack

    std::string_view text_;
    size_t at_ = 0;

    bool eat(char c) {
        if (at_ < text_.size() && text_[at_] == c) {
            ++at_;
            return true;
        }
        return false;
    }
    char peek() const { return at_ < text_.size() ? text_[at_] : '\0'; }

    bool filter(int depth) {
        if (depth > kMaxDepth || !eat('(')) {
            return false;
        }
        bool ok = false;
        if (eat('&') || eat('|')) {
            ok = filter_list(depth);
        } else if (eat('!')) {
            ok = filter(depth + 1);
        } else {
            ok = item();
        }
        return ok && eat(')');
    }

    // One or more filters (RFC 4526's empty `(&)` and `(|)` are allowed too).
    bool filter_list(int depth) {
        while (peek() == '(') {
            if (!filter(depth + 1)) {
                return false;
            }
        }
        return true;
    }

    // An attribute description: a name or numeric OID, then `;options`.
    bool attribute() {
        size_t start = at_;
        while (at_ < text_.size()) {
            unsigned char c = static_cast<unsigned char>(text_[at_]);
            if (std::isalnum(c) || c == '-' || c == '.' || c == ';' || c == '_') {
                ++at_;
            } else {
                break;
            }
        }
        return at_ > start;
    }

    // Value characters up to `*` or `)`; escapes are `\` and two hexadecimal digits.
    bool value_part() {
        while (at_ < text_.size()) {
            char c = text_[at_];
            if (c == ')' || c == '*') {
                return true;
            }
            if (c == '(' || c == '\0') {
                return false;
            }
            if (c == '\\') {
                if (at_ + 2 >= text_.size() ||
                    !std::isxdigit(static_cast<unsigned char>(text_[at_ + 1])) ||
                    !std::isxdigit(static_cast<unsigned char>(text_[at_ + 2]))) {
                    return false;
                }
                at_ += 3;
                continue;
            }
            ++at_;
        }
        return true;
    }

    // simple, present, substring or extensible match.
    bool item() {
        if (peek() == ':') {
            return extensible_tail();
        }
        if (!attribute()) {
            return false;
        }
        if (peek() == ':') {
            return extensible_tail();
        }
        if (eat('~') || eat('>') || eat('<')) {
            return eat('=') && value_part() && peek() == ')';
        }
        if (!eat('=')) {
            return false;
        }
        // `attr=value`, `attr=*` (present) or substrings `attr=a*b*c`.
        if (!value_part()) {
            return false;
        }
        while (eat('*')) {
            if (!value_part()) {
                return false;
            }
        }
        return peek() == ')';
    }

    // ":dn:" in any case (ABNF strings are case-insensitive); `at` moves past ":dn".
    bool dn_attributes() {
        std::string_view next = text_.substr(at_, 4);
        if (next.size() == 4 && next[0] == ':' && (next[1] | 0x20) == 'd' &&
            (next[2] | 0x20) == 'n' && next[3] == ':') {
            at_ += 3;
            return true;
        }
        return false;
    }

    // [":dn"] [":" matching rule] ":=" value, after the attribute (if any).
    bool extensible_tail() {
        bool rule_or_attribute = at_ > 0 && text_[at_ - 1] != '(';
        dn_attributes();
        if (peek() == ':' && text_.substr(at_, 2) != ":=") {
            ++at_;
            if (!attribute()) {
                return false;
            }
            rule_or_attribute = true;
        }
        if (!rule_or_attribute || !eat(':') || !eat('=')) {
            return false;
        }
        return value_part() && peek() == ')';
    }
};

}  // namespace

std::optional<std::string> parse_filter(std::string_view text) {
    std::string filter(text);
    if (filter.empty()) {
        return std::nullopt;
    }
    if (filter.front() != '(') {
        filter = "(" + filter + ")";
    }
    if (!FilterReader(filter).whole_filter()) {
        return std::nullopt;
    }
    return filter;
}

}  // namespace twake::ldap
