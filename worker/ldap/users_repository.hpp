#pragma once

// `usersrepository.xml`, the James LDAP settings upstream reads (docs/configuration.md §2.5): the
// attributes of the root element <usersrepository> and a few child elements.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/config/properties.hpp"

namespace twake::ldap {

struct LdapConfig {
    std::vector<std::string> urls;  // ldap://host:389, ldaps://host:636
    std::optional<std::string> principal;
    std::optional<std::string> credentials;
    std::string user_base;
    std::string user_object_class;
    std::string user_id_attribute;
    std::optional<std::string> user_list_base;
    std::optional<std::string> filter;
    std::optional<std::string> administrator_id;
    std::chrono::milliseconds connection_timeout{5000};
    std::chrono::milliseconds read_timeout{10000};
    int pool_size = 4;
    bool trust_all_certs = false;
    bool virtual_hosting = false;
};

// The root element of a small XML document: its name, attributes and the text of its direct
// child elements. Comments, the XML declaration and the five predefined entities (plus
// numeric references) are handled; this is not a general XML parser.
struct XmlElement {
    std::string name;
    std::map<std::string, std::string> attributes;
    std::map<std::string, std::string> children;
};

// Throws config::ConfigError (prefixed with `origin`) on malformed input.
XmlElement parse_root_element(std::string_view xml, const std::string& origin);

// Attribute values may hold `${env:NAME}`. Throws config::ConfigError naming the attribute
// at fault.
LdapConfig read_users_repository(std::string_view xml, const std::string& origin,
                                 const config::EnvLookup& env = config::process_env);

}  // namespace twake::ldap
