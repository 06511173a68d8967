#include "worker/ldap/users_repository.hpp"

#include "shared/text/utf8.hpp"

#include <cctype>
#include <charconv>

namespace twake::ldap {

namespace {

class XmlReader {
  public:
    XmlReader(std::string_view text, const std::string& origin) : s_(text), origin_(origin) {}

    XmlElement root() {
        skip_prolog();
        XmlElement e;
        expect('<');
        e.name = name();
        bool empty = attributes(e.attributes);
        if (empty) {
            return e;
        }
        // Children: <child attr...>text</child>, nested elements are skipped as text.
        while (true) {
            skip_misc();
            if (starts_with("</")) {
                pos_ += 2;
                std::string closing = name();
                if (closing != e.name) {
                    fail("</" + closing + "> closes <" + e.name + ">");
                }
                skip_space();
                expect('>');
                return e;
            }
            if (peek() == '<') {
                ++pos_;
                std::string child = name();
                std::map<std::string, std::string> ignored;
                if (attributes(ignored)) {
                    e.children[child] = "";
                    continue;
                }
                size_t end = s_.find("</" + child, pos_);
                if (end == std::string_view::npos) {
                    fail("<" + child + "> is not closed");
                }
                e.children[child] = trim(decode(s_.substr(pos_, end - pos_)));
                pos_ = end + 2 + child.size();
                skip_space();
                expect('>');
                continue;
            }
            if (pos_ >= s_.size()) {
                fail("<" + e.name + "> is not closed");
            }
            ++pos_;  // stray text between children
        }
    }

  private:
    std::string_view s_;
    const std::string& origin_;
    size_t pos_ = 0;

    [[noreturn]] void fail(const std::string& why) const {
        throw config::ConfigError(origin_ + ": malformed XML: " + why);
    }
    char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
    bool starts_with(std::string_view p) const { return s_.substr(pos_, p.size()) == p; }
    void expect(char c) {
        if (peek() != c) {
            fail(std::string("expected '") + c + "' at offset " + std::to_string(pos_));
        }
        ++pos_;
    }
    void skip_space() {
        while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) {
            ++pos_;
        }
    }
    void skip_until(std::string_view end) {
        size_t e = s_.find(end, pos_);
        if (e == std::string_view::npos) {
            fail("unterminated '" + std::string(end) + "'");
        }
        pos_ = e + end.size();
    }
    void skip_misc() {
        while (true) {
            skip_space();
            if (starts_with("<!--")) {
                skip_until("-->");
            } else if (starts_with("<?")) {
                skip_until("?>");
            } else if (starts_with("<!")) {
                skip_until(">");
            } else {
                return;
            }
        }
    }
    void skip_prolog() { skip_misc(); }
    std::string name() {
        size_t start = pos_;
        while (pos_ < s_.size()) {
            char c = s_[pos_];
            if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
                c == ':') {
                ++pos_;
            } else {
                break;
            }
        }
        if (start == pos_) {
            fail("expected a name at offset " + std::to_string(pos_));
        }
        return std::string(s_.substr(start, pos_ - start));
    }
    // Reads attributes up to '>' or '/>'; returns true for an empty element.
    bool attributes(std::map<std::string, std::string>& out) {
        while (true) {
            skip_space();
            if (starts_with("/>")) {
                pos_ += 2;
                return true;
            }
            if (peek() == '>') {
                ++pos_;
                return false;
            }
            std::string key = name();
            skip_space();
            expect('=');
            skip_space();
            char quote = peek();
            if (quote != '"' && quote != '\'') {
                fail("attribute " + key + " has no quoted value");
            }
            ++pos_;
            size_t end = s_.find(quote, pos_);
            if (end == std::string_view::npos) {
                fail("attribute " + key + " is not closed");
            }
            out[key] = decode(s_.substr(pos_, end - pos_));
            pos_ = end + 1;
        }
    }
    std::string decode(std::string_view raw) const {
        std::string out;
        for (size_t i = 0; i < raw.size(); ++i) {
            if (raw[i] != '&') {
                out.push_back(raw[i]);
                continue;
            }
            size_t semi = raw.find(';', i);
            if (semi == std::string_view::npos) {
                fail("'&' without ';'");
            }
            std::string_view ent = raw.substr(i + 1, semi - i - 1);
            if (ent == "amp")
                out.push_back('&');
            else if (ent == "lt")
                out.push_back('<');
            else if (ent == "gt")
                out.push_back('>');
            else if (ent == "quot")
                out.push_back('"');
            else if (ent == "apos")
                out.push_back('\'');
            else if (!ent.empty() && ent[0] == '#') {
                bool hex = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X');
                std::string_view digits = ent.substr(hex ? 2 : 1);
                unsigned code = 0;
                auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), code,
                                               hex ? 16 : 10);
                if (ec != std::errc() || p != digits.data() + digits.size() || code > 0x10FFFF) {
                    fail("bad character reference &" + std::string(ent) + ";");
                }
                text::append_utf8(out, code);
            } else {
                fail("unknown entity &" + std::string(ent) + ";");
            }
            i = semi;
        }
        return out;
    }
    static std::string trim(const std::string& s) {
        size_t b = s.find_first_not_of(" \t\r\n");
        if (b == std::string::npos) {
            return "";
        }
        size_t e = s.find_last_not_of(" \t\r\n");
        return s.substr(b, e - b + 1);
    }
};

std::chrono::milliseconds millis(const XmlElement& e, const std::string& key,
                                 std::chrono::milliseconds fallback, const std::string& origin) {
    auto it = e.attributes.find(key);
    if (it == e.attributes.end()) {
        return fallback;
    }
    long v = 0;
    auto [p, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
    if (ec != std::errc() || p != it->second.data() + it->second.size() || v < 0) {
        throw config::ConfigError(origin + ": attribute '" + key + "' = '" + it->second +
                                  "': expected a number of milliseconds");
    }
    return std::chrono::milliseconds(v);
}

}  // namespace

XmlElement parse_root_element(std::string_view xml, const std::string& origin) {
    return XmlReader(xml, origin).root();
}

LdapConfig read_users_repository(std::string_view xml, const std::string& origin,
                                 const config::EnvLookup& env) {
    XmlElement root = parse_root_element(xml, origin);
    for (auto& [key, value] : root.attributes) {
        value = config::expand_env(value, origin + ": attribute '" + key + "'", env);
    }
    if (root.name != "usersrepository") {
        throw config::ConfigError(origin + ": the root element must be <usersrepository>, not <" +
                                  root.name + ">");
    }
    auto attr = [&](const std::string& key) -> std::optional<std::string> {
        auto it = root.attributes.find(key);
        if (it == root.attributes.end() || it->second.empty()) {
            return std::nullopt;
        }
        return it->second;
    };
    auto required = [&](const std::string& key) {
        auto v = attr(key);
        if (!v) {
            throw config::ConfigError(origin + ": attribute '" + key +
                                      "' of <usersrepository> is mandatory");
        }
        return *v;
    };
    LdapConfig c;
    std::string hosts = attr("ldapHosts").value_or(attr("ldapHost").value_or(""));
    size_t pos = 0;
    while (pos <= hosts.size()) {
        size_t comma = hosts.find(',', pos);
        if (comma == std::string::npos) {
            comma = hosts.size();
        }
        std::string h = hosts.substr(pos, comma - pos);
        size_t b = h.find_first_not_of(' ');
        size_t e = h.find_last_not_of(' ');
        if (b != std::string::npos) {
            h = h.substr(b, e - b + 1);
            if (h.rfind("ldap://", 0) != 0 && h.rfind("ldaps://", 0) != 0) {
                throw config::ConfigError(origin + ": LDAP host '" + h +
                                          "' must start with ldap:// or ldaps://");
            }
            c.urls.push_back(h);
        }
        pos = comma + 1;
    }
    if (c.urls.empty()) {
        throw config::ConfigError(origin + ": attribute 'ldapHost' (or 'ldapHosts') is mandatory");
    }
    c.principal = attr("principal");
    c.credentials = attr("credentials");
    c.user_base = required("userBase");
    c.user_object_class = required("userObjectClass");
    c.user_id_attribute = required("userIdAttribute");
    c.user_list_base = attr("userListBase");
    c.filter = attr("filter");
    c.administrator_id = attr("administratorId");
    c.connection_timeout = millis(root, "connectionTimeout", c.connection_timeout, origin);
    c.read_timeout = millis(root, "readTimeout", c.read_timeout, origin);
    c.trust_all_certs = attr("trustAllCerts").value_or("false") == "true";
    if (auto it = root.children.find("enableVirtualHosting"); it != root.children.end()) {
        c.virtual_hosting = it->second == "true";
    }
    return c;
}

}  // namespace twake::ldap
