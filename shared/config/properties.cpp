#include "shared/config/properties.hpp"

#include "shared/text/utf8.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace twake::config {

namespace {

bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\f';
}

// Joins continuation lines: a line ending in an odd number of backslashes continues on the
// next one, whose leading blanks are dropped. Returns (first line number, logical line).
std::vector<std::pair<int, std::string>> logical_lines(std::string_view text) {
    std::vector<std::pair<int, std::string>> out;
    std::string current;
    int start_line = 0;
    bool continuing = false;
    int number = 0;
    size_t pos = 0;
    while (pos <= text.size()) {
        size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        std::string_view line = text.substr(pos, end - pos);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        ++number;
        if (continuing) {
            size_t skip = 0;
            while (skip < line.size() && is_blank(line[skip])) {
                ++skip;
            }
            line.remove_prefix(skip);
        } else {
            start_line = number;
            current.clear();
            size_t skip = 0;
            while (skip < line.size() && is_blank(line[skip])) {
                ++skip;
            }
            if (skip < line.size() && (line[skip] == '#' || line[skip] == '!')) {
                pos = end + 1;
                continue;
            }
        }
        size_t backslashes = 0;
        while (backslashes < line.size() && line[line.size() - 1 - backslashes] == '\\') {
            ++backslashes;
        }
        continuing = backslashes % 2 == 1;
        if (continuing) {
            line.remove_suffix(1);
        }
        current.append(line);
        if (!continuing) {
            out.emplace_back(start_line, current);
        }
        pos = end + 1;
    }
    if (continuing) {
        out.emplace_back(start_line, current);
    }
    return out;
}

std::string unescape(std::string_view raw, const std::string& where) {
    std::string out;
    out.reserve(raw.size());
    for (size_t i = 0; i < raw.size(); ++i) {
        char c = raw[i];
        if (c != '\\' || i + 1 == raw.size()) {
            out.push_back(c);
            continue;
        }
        char e = raw[++i];
        switch (e) {
            case 't':
                out.push_back('\t');
                break;
            case 'n':
                out.push_back('\n');
                break;
            case 'r':
                out.push_back('\r');
                break;
            case 'f':
                out.push_back('\f');
                break;
            case 'u': {
                if (i + 4 >= raw.size()) {
                    throw ConfigError(where + ": truncated \\u escape");
                }
                unsigned code = 0;
                for (int k = 1; k <= 4; ++k) {
                    char h = raw[i + k];
                    code <<= 4;
                    if (h >= '0' && h <= '9')
                        code |= h - '0';
                    else if (h >= 'a' && h <= 'f')
                        code |= h - 'a' + 10;
                    else if (h >= 'A' && h <= 'F')
                        code |= h - 'A' + 10;
                    else
                        throw ConfigError(where + ": invalid \\u escape");
                }
                i += 4;
                text::append_utf8(out, code);
                break;
            }
            default:
                out.push_back(e);
        }
    }
    return out;
}

// `where` describes the value in messages ("redis.properties: key 'redisURL'").
std::string interpolate(const std::string& value, const std::string& where,
                        const std::map<std::string, std::string, std::less<>>& raw,
                        const EnvLookup& env, const std::string& origin, int depth) {
    if (depth > 10) {
        throw ConfigError(where + ": variable references nest too deeply");
    }
    std::string out;
    size_t pos = 0;
    while (true) {
        size_t open = value.find("${", pos);
        if (open == std::string::npos) {
            out.append(value, pos);
            return out;
        }
        size_t close = value.find('}', open + 2);
        if (close == std::string::npos) {
            throw ConfigError(where + ": '${' without a closing '}'");
        }
        out.append(value, pos, open - pos);
        std::string name = value.substr(open + 2, close - open - 2);
        if (name.rfind("env:", 0) == 0) {
            std::string var = name.substr(4);
            std::optional<std::string> v = env(var);
            if (!v) {
                throw ConfigError(where + " refers to environment variable " + var +
                                  ", which is not set");
            }
            out += *v;
        } else {
            auto it = raw.find(name);
            if (it == raw.end()) {
                throw ConfigError(where + " refers to '${" + name +
                                  "}', which is neither a key of this file nor ${env:NAME}");
            }
            out += interpolate(it->second, origin + ": key '" + name + "'", raw, env, origin,
                               depth + 1);
        }
        pos = close + 1;
    }
}

}  // namespace

std::optional<std::string> process_env(const std::string& name) {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) {
        return std::nullopt;
    }
    return std::string(v);
}

std::string trim(std::string_view text) {
    size_t b = 0;
    size_t e = text.size();
    while (b < e && (is_blank(text[b]) || text[b] == '\r' || text[b] == '\n')) {
        ++b;
    }
    while (e > b && (is_blank(text[e - 1]) || text[e - 1] == '\r' || text[e - 1] == '\n')) {
        --e;
    }
    return std::string(text.substr(b, e - b));
}

std::string expand_env(const std::string& value, const std::string& where, const EnvLookup& env) {
    static const std::map<std::string, std::string, std::less<>> kNoKeys;
    return interpolate(value, where, kNoKeys, env, where, 0);
}

Properties Properties::parse(std::string_view text, std::string origin, const EnvLookup& env) {
    Properties p;
    p.origin_ = std::move(origin);
    std::map<std::string, std::string, std::less<>> raw;
    for (const auto& [number, line] : logical_lines(text)) {
        std::string where = p.origin_ + ":" + std::to_string(number);
        size_t i = 0;
        while (i < line.size() && is_blank(line[i])) {
            ++i;
        }
        if (i == line.size()) {
            continue;
        }
        size_t key_start = i;
        while (i < line.size() && line[i] != '=' && line[i] != ':' && !is_blank(line[i])) {
            if (line[i] == '\\') {
                ++i;
            }
            ++i;
        }
        std::string key = unescape(std::string_view(line).substr(key_start, i - key_start), where);
        while (i < line.size() && is_blank(line[i])) {
            ++i;
        }
        if (i < line.size() && (line[i] == '=' || line[i] == ':')) {
            ++i;
        }
        while (i < line.size() && is_blank(line[i])) {
            ++i;
        }
        std::string value =
            unescape(std::string_view(line).substr(std::min(i, line.size())), where);
        // Trailing blanks are not part of a value in practice and only cause surprises.
        value = trim(value);
        if (raw.contains(key)) {
            p.duplicates_.push_back(key);
            continue;
        }
        raw.emplace(std::move(key), std::move(value));
    }
    for (const auto& [key, value] : raw) {
        p.entries_.emplace(
            key, interpolate(value, p.origin_ + ": key '" + key + "'", raw, env, p.origin_, 0));
    }
    return p;
}

Properties Properties::load(const std::filesystem::path& file, const EnvLookup& env) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw ConfigError("cannot read configuration file " + file.string());
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse(text.str(), file.filename().string(), env);
}

bool Properties::contains(std::string_view key) const {
    return entries_.find(key) != entries_.end();
}

std::optional<std::string> Properties::get(std::string_view key) const {
    auto it = entries_.find(key);
    if (it == entries_.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::string Properties::get_or(std::string_view key, std::string_view fallback) const {
    auto v = get(key);
    return v ? *v : std::string(fallback);
}

std::vector<std::string> Properties::list(std::string_view key) const {
    std::vector<std::string> items;
    auto v = get(key);
    if (!v) {
        return items;
    }
    size_t pos = 0;
    while (pos <= v->size()) {
        size_t comma = v->find(',', pos);
        if (comma == std::string::npos) {
            comma = v->size();
        }
        std::string item = trim(std::string_view(*v).substr(pos, comma - pos));
        if (!item.empty()) {
            items.push_back(std::move(item));
        }
        pos = comma + 1;
    }
    return items;
}

}  // namespace twake::config
