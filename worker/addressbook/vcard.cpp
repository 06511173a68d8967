#include "worker/addressbook/vcard.hpp"

#include "shared/identity/address.hpp"

namespace twake::addressbook {

namespace {

// RFC 6350 §3.4: backslash, comma, semicolon and newline are escaped in text values.
std::string escape(std::string_view value) {
    std::string out;
    for (char c : value) {
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case ',':
                out += "\\,";
                break;
            case ';':
                out += "\\;";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                break;
            default:
                out.push_back(c);
        }
    }
    return out;
}

std::string unescape(std::string_view value) {
    std::string out;
    for (size_t i = 0; i < value.size(); ++i) {
        if (value[i] == '\\' && i + 1 < value.size()) {
            char next = value[++i];
            out.push_back(next == 'n' || next == 'N' ? '\n' : next);
        } else {
            out.push_back(value[i]);
        }
    }
    return out;
}

// Folds a content line at 75 octets (RFC 6350 §3.2), never inside a UTF-8 sequence.
void append_line(std::string& out, const std::string& line) {
    constexpr size_t kMax = 75;
    size_t start = 0;
    size_t limit = kMax;
    while (line.size() - start > limit) {
        size_t cut = start + limit;
        while (cut > start && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) {
            --cut;
        }
        out.append(line, start, cut - start);
        out += "\r\n ";
        start = cut;
        limit = kMax - 1;  // the continuation's leading space counts
    }
    out.append(line, start, std::string::npos);
    out += "\r\n";
}

std::optional<std::string> non_empty(std::string value) {
    if (value.empty()) {
        return std::nullopt;
    }
    return value;
}

// The components of a structured value split at unescaped semicolons, each unescaped.
std::vector<std::string> components(std::string_view value) {
    std::vector<std::string> out;
    size_t start = 0;
    for (size_t i = 0; i <= value.size(); ++i) {
        if (i == value.size() || value[i] == ';') {
            out.push_back(unescape(value.substr(start, i - start)));
            start = i + 1;
        } else if (value[i] == '\\') {
            ++i;
        }
    }
    return out;
}

struct ContentLine {
    std::string name;  // upper-cased, without a group prefix
    std::string value;
};

// NAME[;params]:value, where a parameter value may quote a colon.
std::optional<ContentLine> content_line(std::string_view line) {
    bool quoted = false;
    size_t colon = std::string_view::npos;
    size_t name_end = std::string_view::npos;
    for (size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (c == '"') {
            quoted = !quoted;
        } else if (!quoted && (c == ';' || c == ':') && name_end == std::string_view::npos) {
            name_end = i;
        }
        if (!quoted && c == ':') {
            colon = i;
            break;
        }
    }
    if (colon == std::string_view::npos || name_end == 0) {
        return std::nullopt;
    }
    std::string name(line.substr(0, name_end));
    if (size_t dot = name.rfind('.'); dot != std::string::npos) {
        name.erase(0, dot + 1);  // a group prefix: item1.EMAIL
    }
    for (char& c : name) {
        c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    }
    return ContentLine{std::move(name), std::string(line.substr(colon + 1))};
}

// Physical lines joined back into content lines (CRLF or LF, continuations start with a
// space or a tab).
std::vector<std::string> unfolded_lines(std::string_view text) {
    std::vector<std::string> lines;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        std::string_view line = text.substr(
            start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (!line.empty() && (line.front() == ' ' || line.front() == '\t') && !lines.empty()) {
            lines.back().append(line.substr(1));
        } else {
            lines.emplace_back(line);
        }
        if (end == std::string_view::npos) {
            break;
        }
        start = end + 1;
    }
    return lines;
}

void read_property(Contact& card, const ContentLine& line) {
    if (line.name == "UID" && card.uid.empty()) {
        card.uid = unescape(line.value);
    } else if (line.name == "FN" && !card.display_name) {
        card.display_name = non_empty(unescape(line.value));
    } else if (line.name == "N" && !card.family_name && !card.given_name) {
        auto parts = components(line.value);
        card.family_name = non_empty(parts.empty() ? "" : parts[0]);
        card.given_name = non_empty(parts.size() > 1 ? parts[1] : "");
    } else if (line.name == "EMAIL" && !card.email) {
        card.email = non_empty(unescape(line.value));
    } else if (line.name == "TEL" && !card.phone) {
        std::string number = unescape(line.value);
        if (identity::lower(number.substr(0, 4)) == "tel:") {
            number.erase(0, 4);
            number = number.substr(0, number.find(';'));  // a tel: URI's parameters
        }
        card.phone = non_empty(std::move(number));
    }
}

}  // namespace

std::string write_vcard(const Contact& contact) {
    std::string out;
    append_line(out, "BEGIN:VCARD");
    append_line(out, "VERSION:4.0");
    append_line(out, "UID:" + escape(contact.uid));
    if (contact.display_name) {
        append_line(out, "FN:" + escape(*contact.display_name));
    }
    if (contact.family_name || contact.given_name) {
        append_line(out, "N:" + escape(contact.family_name.value_or("")) + ";" +
                             escape(contact.given_name.value_or("")) + ";;;");
    }
    if (contact.email) {
        append_line(out, "EMAIL:" + escape(*contact.email));
    }
    if (contact.phone) {
        append_line(out, "TEL;TYPE=work:" + escape(*contact.phone));
    }
    append_line(out, "END:VCARD");
    return out;
}

std::vector<Contact> parse_vcards(std::string_view text) {
    std::vector<Contact> cards;
    int depth = 0;  // a card nested in a property (vCard 2.1's AGENT) is not read
    for (const std::string& raw : unfolded_lines(text)) {
        auto line = content_line(raw);
        if (!line) {
            continue;
        }
        std::string value = identity::lower(line->value);
        if (line->name == "BEGIN" && value == "vcard") {
            if (depth++ == 0) {
                cards.emplace_back();
            }
        } else if (line->name == "END" && value == "vcard") {
            depth = depth > 0 ? depth - 1 : 0;
        } else if (depth == 1) {
            read_property(cards.back(), *line);
        }
    }
    return cards;
}

}  // namespace twake::addressbook
