#include "worker/imports/content_lines.hpp"

#include <cctype>

namespace twake::imports {

namespace {

// The physical line at `from`: its content (no CR/LF) and where the next one starts.
std::string_view physical_line(std::string_view text, size_t from, size_t& next) {
    size_t nl = text.find('\n', from);
    next = nl == std::string_view::npos ? text.size() : nl + 1;
    std::string_view line =
        text.substr(from, (nl == std::string_view::npos ? text.size() : nl) - from);
    if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
    }
    return line;
}

}  // namespace

void split_content_line(ContentLine& line) {
    const std::string& t = line.text;
    size_t name_end = t.find_first_of(";:");
    std::string_view name = std::string_view(t).substr(0, name_end);
    if (size_t dot = name.rfind('.'); dot != std::string_view::npos) {
        name.remove_prefix(dot + 1);
    }
    line.name.assign(name);
    for (char& c : line.name) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    line.value.clear();
    bool quoted = false;
    for (size_t i = name_end == std::string::npos ? t.size() : name_end; i < t.size(); ++i) {
        if (t[i] == '"') {
            quoted = !quoted;
        } else if (t[i] == ':' && !quoted) {
            line.value = t.substr(i + 1);
            break;
        }
    }
}

bool ContentLines::next(ContentLine& line) {
    if (at_ >= text_.size()) {
        return false;
    }
    size_t next = 0;
    line.begin = at_;
    line.text.assign(physical_line(text_, at_, next));
    // Folded continuations start with a space or a tab, which unfolding removes.
    while (next < text_.size() && (text_[next] == ' ' || text_[next] == '\t')) {
        size_t after = 0;
        line.text.append(physical_line(text_, next + 1, after));
        next = after;
    }
    line.end = next;
    at_ = next;
    split_content_line(line);
    return true;
}

}  // namespace twake::imports
