#include "worker/ldap/ldap_directory.hpp"

#include <algorithm>

#include "shared/identity/address.hpp"
#include "worker/ldap/ldap_connection.hpp"

namespace twake::ldap {

namespace {

std::string trimmed(const std::string& s) {
    size_t b = s.find_first_not_of(" \t");
    if (b == std::string::npos) {
        return "";
    }
    size_t e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}

// lastname = sn, firstname = cn without the sn text (or cn when sn is empty), as upstream.
PersonNames person_names(const LdapEntry& entry) {
    const auto& attrs = entry.attributes;
    std::string cn = attrs.contains("cn") ? attrs.at("cn") : "";
    std::string sn = attrs.contains("sn") ? attrs.at("sn") : "";
    std::string first = cn;
    if (!sn.empty()) {
        size_t at = first.find(sn);
        if (at != std::string::npos) {
            first.erase(at, sn.size());
        }
    }
    return PersonNames{trimmed(first), trimmed(sn)};
}

}  // namespace

std::string LdapDirectory::user_filter(const std::string& attribute,
                                       const std::string& value) const {
    std::string filter = "(&(objectClass=" + escape_filter_value(config_.user_object_class) + ")(" +
                         attribute + "=" + escape_filter_value(value) + ")";
    if (config_.filter) {
        filter += *config_.filter;
    }
    return filter + ")";
}

std::optional<std::string> LdapDirectory::authenticate(const std::string& login,
                                                       const std::string& password) {
    // An empty password is an anonymous bind, which many servers accept
    // (docs/reference/auth.md §3.3).
    if (password.empty() || login.empty()) {
        return std::nullopt;
    }
    std::vector<LdapEntry> entries;
    {
        LdapConnection service(config_);
        entries = service.search(config_.user_base, user_filter(config_.user_id_attribute, login),
                                 {config_.user_id_attribute}, 1);
    }
    if (entries.empty()) {
        return std::nullopt;
    }
    // A connection of its own: after the bind it acts as the user, not as the service account.
    LdapConfig anonymous = config_;
    anonymous.principal.reset();
    anonymous.credentials.reset();
    LdapConnection user(anonymous);
    if (!user.bind(entries.front().dn, password)) {
        return std::nullopt;
    }
    auto it = entries.front().attributes.find(config_.user_id_attribute);
    return identity::lower(it != entries.front().attributes.end() ? it->second : login);
}

std::optional<PersonNames> LdapDirectory::names(const std::string& email) {
    LdapConnection service(config_);
    auto entries = service.search(config_.user_base, user_filter("mail", email), {"cn", "sn"}, 1);
    if (entries.empty()) {
        return std::nullopt;
    }
    return person_names(entries.front());
}

std::vector<LdapPerson> LdapDirectory::people() {
    std::string filter = "(objectClass=" + escape_filter_value(config_.user_object_class) + ")";
    LdapConnection service(config_);
    auto entries = service.search(config_.user_base, filter, {"mail", "cn", "sn"}, 0);
    std::vector<LdapPerson> people;
    people.reserve(entries.size());
    for (const auto& entry : entries) {
        auto mail = entry.attributes.find("mail");
        people.push_back(
            LdapPerson{mail != entry.attributes.end() ? mail->second : "", person_names(entry)});
    }
    return people;
}

std::vector<std::string> LdapDirectory::usernames_in_domain(const std::string& domain) {
    std::string suffix = "@" + domain;
    // A substring filter narrows the search; the suffix is checked again below because how
    // the attribute matches (case, substrings) is up to the server's schema.
    std::string filter = "(&(objectClass=" + escape_filter_value(config_.user_object_class) + ")(" +
                         config_.user_id_attribute + "=*" + escape_filter_value(suffix) + ")" +
                         config_.filter.value_or("") + ")";
    LdapConnection service(config_);
    auto entries = service.search(config_.user_list_base.value_or(config_.user_base), filter,
                                  {config_.user_id_attribute}, 0);
    std::vector<std::string> usernames;
    for (const auto& entry : entries) {
        auto it = entry.attributes.find(config_.user_id_attribute);
        if (it == entry.attributes.end()) {
            continue;
        }
        std::string username = identity::lower(it->second);
        if (username.size() > suffix.size() && username.ends_with(suffix)) {
            usernames.push_back(std::move(username));
        }
    }
    std::sort(usernames.begin(), usernames.end());
    usernames.erase(std::unique(usernames.begin(), usernames.end()), usernames.end());
    return usernames;
}

std::vector<std::string> LdapDirectory::user_ids() {
    std::string filter = "(&(objectClass=" + escape_filter_value(config_.user_object_class) + ")" +
                         config_.filter.value_or("") + ")";
    LdapConnection service(config_);
    auto entries = service.search(config_.user_list_base.value_or(config_.user_base), filter,
                                  {config_.user_id_attribute}, 0);
    std::vector<std::string> ids;
    for (const auto& entry : entries) {
        auto it = entry.attributes.find(config_.user_id_attribute);
        if (it != entry.attributes.end() && !it->second.empty()) {
            ids.push_back(identity::lower(it->second));
        }
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

std::vector<LdapEntry> LdapDirectory::domain_members(
    const std::string& domain, const std::optional<std::string>& extra_filter) {
    constexpr int kPageSize = 500;  // within slapd's and Active Directory's default limits
    std::string filter = "(&(objectClass=" + escape_filter_value(config_.user_object_class) +
                         ")(mail=*" + escape_filter_value("@" + domain) + ")" +
                         extra_filter.value_or("") + ")";
    LdapConnection service(config_);
    return service.search_paged(config_.user_base, filter, kMemberAttributes, kPageSize);
}

bool LdapDirectory::has_user(const std::string& id) {
    if (id.empty()) {
        return false;
    }
    LdapConnection service(config_);
    return !service.search_dns(config_.user_base, user_filter(config_.user_id_attribute, id), 1)
                .empty();
}

}  // namespace twake::ldap
