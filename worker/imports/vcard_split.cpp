#include "worker/imports/vcard_split.hpp"

#include "worker/errors/invalid_input.hpp"
#include "worker/imports/content_lines.hpp"

namespace twake::imports {

namespace {

bool is(const std::string& value, std::string_view word) {
    if (value.size() != word.size()) {
        return false;
    }
    for (size_t i = 0; i < word.size(); ++i) {
        if (std::toupper(static_cast<unsigned char>(value[i])) != word[i]) {
            return false;
        }
    }
    return true;
}

}  // namespace

std::vector<TextSpan> split_vcards(std::string_view text) {
    std::vector<TextSpan> cards;
    int depth = 0;  // vCard 2.1's AGENT may nest a card
    TextSpan current;
    ContentLines lines(text);
    ContentLine line;
    while (lines.next(line)) {
        if (line.name == "BEGIN" && is(line.value, "VCARD")) {
            if (depth++ == 0) {
                current.begin = line.begin;
            }
        } else if (line.name == "END" && is(line.value, "VCARD")) {
            if (depth == 0) {
                throw errors::InvalidInput("not a vCard file: END:VCARD without BEGIN");
            }
            if (--depth == 0) {
                current.end = line.end;
                cards.push_back(current);
            }
        }
    }
    if (depth != 0) {
        throw errors::InvalidInput("not a vCard file: a card is not ended");
    }
    if (cards.empty()) {
        throw errors::InvalidInput("not a vCard file");
    }
    return cards;
}

std::string card_with_uid(std::string_view text, TextSpan span, const std::string& uid) {
    std::string out;
    out.reserve(span.end - span.begin + uid.size() + 8);
    ContentLines lines(text.substr(span.begin, span.end - span.begin));
    ContentLine line;
    bool uid_written = false;
    int depth = 0;
    while (lines.next(line)) {
        bool top = depth == 1;
        if (line.name == "BEGIN") {
            ++depth;
        } else if (line.name == "END") {
            --depth;
        }
        if (top && (line.name == "UID" || line.name == "PRODID")) {
            continue;
        }
        if (line.text.empty()) {
            continue;
        }
        // The original bytes keep the card's folding.
        std::string_view raw = text.substr(span.begin + line.begin, line.end - line.begin);
        while (!raw.empty() && (raw.back() == '\n' || raw.back() == '\r')) {
            raw.remove_suffix(1);
        }
        size_t from = 0;
        while (from <= raw.size()) {
            size_t nl = raw.find('\n', from);
            std::string_view physical =
                raw.substr(from, nl == std::string_view::npos ? std::string_view::npos : nl - from);
            if (!physical.empty() && physical.back() == '\r') {
                physical.remove_suffix(1);
            }
            out.append(physical).append("\r\n");
            if (nl == std::string_view::npos) {
                break;
            }
            from = nl + 1;
        }
        // After VERSION, as RFC 6350 orders a card's first lines.
        if (top && line.name == "VERSION" && !uid_written) {
            out.append("UID:").append(uid).append("\r\n");
            uid_written = true;
        }
    }
    if (!uid_written) {
        // No VERSION line: the UID goes right after BEGIN:VCARD.
        size_t after_begin = out.find("\r\n") + 2;
        out.insert(after_begin, "UID:" + uid + "\r\n");
    }
    return out;
}

std::string first_email(std::string_view text, TextSpan span) {
    ContentLines lines(text.substr(span.begin, span.end - span.begin));
    ContentLine line;
    while (lines.next(line)) {
        if (line.name == "EMAIL") {
            return line.value;
        }
    }
    return "";
}

}  // namespace twake::imports
