#include "worker/ldap/ldap_connection.hpp"

#include <sys/time.h>

namespace twake::ldap {

namespace {

timeval to_timeval(std::chrono::milliseconds d) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(d.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((d.count() % 1000) * 1000);
    return tv;
}

struct MessageDelete {
    void operator()(LDAPMessage* m) const { ldap_msgfree(m); }
};

struct CookieDelete {
    void operator()(berval* b) const { ber_bvfree(b); }
};

struct ControlDelete {
    void operator()(LDAPControl* c) const { ldap_control_free(c); }
};

struct ControlsDelete {
    void operator()(LDAPControl** c) const { ldap_controls_free(c); }
};

}  // namespace

std::string escape_filter_value(std::string_view value) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : value) {
        if (c == '*' || c == '(' || c == ')' || c == '\\' || c == '\0') {
            out.push_back('\\');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
        } else {
            out.push_back(static_cast<char>(c));
        }
    }
    return out;
}

LdapConnection::LdapConnection(const LdapConfig& config) : read_timeout_(config.read_timeout) {
    std::string urls;
    for (const auto& u : config.urls) {
        urls += (urls.empty() ? "" : " ") + u;
    }
    LDAP* raw = nullptr;
    int rc = ldap_initialize(&raw, urls.c_str());
    if (rc != LDAP_SUCCESS) {
        throw LdapError(std::string("LDAP initialisation failed: ") + ldap_err2string(rc));
    }
    ld_.reset(raw);
    int version = LDAP_VERSION3;
    ldap_set_option(raw, LDAP_OPT_PROTOCOL_VERSION, &version);
    timeval network = to_timeval(config.connection_timeout);
    ldap_set_option(raw, LDAP_OPT_NETWORK_TIMEOUT, &network);
    timeval operation = to_timeval(config.read_timeout);
    ldap_set_option(raw, LDAP_OPT_TIMEOUT, &operation);
    ldap_set_option(raw, LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
    if (config.trust_all_certs) {
        int never = LDAP_OPT_X_TLS_NEVER;
        ldap_set_option(raw, LDAP_OPT_X_TLS_REQUIRE_CERT, &never);
        int fresh = 0;
        ldap_set_option(raw, LDAP_OPT_X_TLS_NEWCTX, &fresh);
    }
    berval cred{};
    std::string password = config.credentials.value_or("");
    cred.bv_val = password.data();
    cred.bv_len = password.size();
    rc = ldap_sasl_bind_s(raw, config.principal ? config.principal->c_str() : nullptr,
                          LDAP_SASL_SIMPLE, &cred, nullptr, nullptr, nullptr);
    if (rc != LDAP_SUCCESS) {
        throw LdapError(std::string("LDAP bind failed: ") + ldap_err2string(rc));
    }
}

std::vector<std::string> LdapConnection::search_dns(const std::string& base,
                                                    const std::string& filter, int size_limit) {
    timeval timeout = to_timeval(read_timeout_);
    char no_attributes[] = LDAP_NO_ATTRS;
    char* attrs[] = {no_attributes, nullptr};
    LDAPMessage* raw = nullptr;
    int rc = ldap_search_ext_s(ld_.get(), base.c_str(), LDAP_SCOPE_SUBTREE, filter.c_str(), attrs,
                               0, nullptr, nullptr, &timeout, size_limit, &raw);
    std::unique_ptr<LDAPMessage, MessageDelete> result(raw);
    if (rc != LDAP_SUCCESS && rc != LDAP_SIZELIMIT_EXCEEDED) {
        throw LdapError(std::string("LDAP search failed: ") + ldap_err2string(rc));
    }
    std::vector<std::string> dns;
    for (LDAPMessage* e = ldap_first_entry(ld_.get(), raw); e != nullptr;
         e = ldap_next_entry(ld_.get(), e)) {
        char* dn = ldap_get_dn(ld_.get(), e);
        if (dn != nullptr) {
            dns.emplace_back(dn);
            ldap_memfree(dn);
        }
    }
    return dns;
}

std::vector<LdapEntry> LdapConnection::search(const std::string& base, const std::string& filter,
                                              const std::vector<std::string>& attributes,
                                              int size_limit) {
    timeval timeout = to_timeval(read_timeout_);
    std::vector<std::string> names = attributes;
    std::vector<char*> attrs;
    for (auto& n : names) {
        attrs.push_back(n.data());
    }
    attrs.push_back(nullptr);
    LDAPMessage* raw = nullptr;
    int rc = ldap_search_ext_s(ld_.get(), base.c_str(), LDAP_SCOPE_SUBTREE, filter.c_str(),
                               attrs.data(), 0, nullptr, nullptr, &timeout, size_limit, &raw);
    std::unique_ptr<LDAPMessage, MessageDelete> result(raw);
    if (rc != LDAP_SUCCESS && rc != LDAP_SIZELIMIT_EXCEEDED) {
        throw LdapError(std::string("LDAP search failed: ") + ldap_err2string(rc));
    }
    std::vector<LdapEntry> entries;
    read_entries(raw, attributes, entries);
    return entries;
}

void LdapConnection::read_entries(LDAPMessage* result, const std::vector<std::string>& attributes,
                                  std::vector<LdapEntry>& out) {
    for (LDAPMessage* e = ldap_first_entry(ld_.get(), result); e != nullptr;
         e = ldap_next_entry(ld_.get(), e)) {
        LdapEntry entry;
        if (char* dn = ldap_get_dn(ld_.get(), e)) {
            entry.dn = dn;
            ldap_memfree(dn);
        }
        for (const auto& name : attributes) {
            berval** values = ldap_get_values_len(ld_.get(), e, name.c_str());
            if (values != nullptr) {
                if (values[0] != nullptr) {
                    entry.attributes[name] = std::string(values[0]->bv_val, values[0]->bv_len);
                }
                ldap_value_free_len(values);
            }
        }
        out.push_back(std::move(entry));
    }
}

std::vector<LdapEntry> LdapConnection::search_paged(const std::string& base,
                                                    const std::string& filter,
                                                    const std::vector<std::string>& attributes,
                                                    int page_size) {
    std::vector<std::string> names = attributes;
    std::vector<char*> attrs;
    for (auto& n : names) {
        attrs.push_back(n.data());
    }
    attrs.push_back(nullptr);
    std::vector<LdapEntry> entries;
    // The server's cookie, empty before the first page and after the last.
    std::unique_ptr<berval, CookieDelete> cookie;
    do {
        LDAPControl* raw_page = nullptr;
        int rc = ldap_create_page_control(ld_.get(), static_cast<ber_int_t>(page_size),
                                          cookie.get(), 1, &raw_page);
        if (rc != LDAP_SUCCESS) {
            throw LdapError(std::string("LDAP paged search failed: ") + ldap_err2string(rc));
        }
        std::unique_ptr<LDAPControl, ControlDelete> page(raw_page);
        LDAPControl* server_controls[] = {page.get(), nullptr};
        timeval timeout = to_timeval(read_timeout_);
        LDAPMessage* raw = nullptr;
        rc = ldap_search_ext_s(ld_.get(), base.c_str(), LDAP_SCOPE_SUBTREE, filter.c_str(),
                               attrs.data(), 0, server_controls, nullptr, &timeout, 0, &raw);
        std::unique_ptr<LDAPMessage, MessageDelete> result(raw);
        if (rc != LDAP_SUCCESS) {
            throw LdapError(std::string("LDAP search failed: ") + ldap_err2string(rc));
        }
        read_entries(raw, attributes, entries);
        LDAPControl** raw_controls = nullptr;
        int code = LDAP_SUCCESS;
        rc = ldap_parse_result(ld_.get(), raw, &code, nullptr, nullptr, nullptr, &raw_controls, 0);
        std::unique_ptr<LDAPControl*, ControlsDelete> controls(raw_controls);
        if (rc != LDAP_SUCCESS || code != LDAP_SUCCESS) {
            throw LdapError(std::string("LDAP search failed: ") +
                            ldap_err2string(rc != LDAP_SUCCESS ? rc : code));
        }
        LDAPControl* response =
            ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, controls.get(), nullptr);
        cookie.reset();
        if (response != nullptr) {
            ber_int_t estimate = 0;
            berval next{};
            if (ldap_parse_pageresponse_control(ld_.get(), response, &estimate, &next) !=
                LDAP_SUCCESS) {
                throw LdapError("LDAP paged search: unreadable page control");
            }
            if (next.bv_len > 0) {
                cookie.reset(ber_bvdup(&next));
            }
            ber_memfree(next.bv_val);
        }
    } while (cookie);
    return entries;
}

bool LdapConnection::bind(const std::string& dn, const std::string& password) {
    berval cred{};
    std::string copy = password;
    cred.bv_val = copy.data();
    cred.bv_len = copy.size();
    int rc =
        ldap_sasl_bind_s(ld_.get(), dn.c_str(), LDAP_SASL_SIMPLE, &cred, nullptr, nullptr, nullptr);
    if (rc == LDAP_SUCCESS) {
        return true;
    }
    if (rc == LDAP_INVALID_CREDENTIALS || rc == LDAP_INAPPROPRIATE_AUTH ||
        rc == LDAP_UNWILLING_TO_PERFORM || rc == LDAP_INVALID_DN_SYNTAX ||
        rc == LDAP_NO_SUCH_OBJECT) {
        return false;
    }
    throw LdapError(std::string("LDAP bind failed: ") + ldap_err2string(rc));
}

}  // namespace twake::ldap
