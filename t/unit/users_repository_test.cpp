#include <gtest/gtest.h>

#include "worker/ldap/ldap_connection.hpp"
#include "worker/ldap/users_repository.hpp"

using namespace twake::ldap;
using twake::config::ConfigError;

namespace {

std::optional<std::string> fake_env(const std::string& name) {
    if (name == "LDAP_PASSWORD")
        return std::string("s3cr&t");
    return std::nullopt;
}

const char* kSample = R"XML(<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment with <tags> -->
<usersrepository name="LocalUsers" ldapHost="ldap://ldap:389, ldaps://backup:636"
    principal="cn=admin,dc=example,dc=com" credentials="${env:LDAP_PASSWORD}"
    userBase="ou=people,dc=example,dc=com" userObjectClass="inetOrgPerson"
    userIdAttribute="mail" filter="(&amp;(a=b)(c=d))" connectionTimeout="2000"
    readTimeout="3000">
  <enableVirtualHosting>true</enableVirtualHosting>
  <algorithm>PBKDF2</algorithm>
</usersrepository>
)XML";

}  // namespace

TEST(UsersRepository, ReadsAttributesChildrenAndEntities) {
    LdapConfig c = read_users_repository(kSample, "usersrepository.xml", fake_env);
    EXPECT_EQ(c.urls, (std::vector<std::string>{"ldap://ldap:389", "ldaps://backup:636"}));
    EXPECT_EQ(c.principal, "cn=admin,dc=example,dc=com");
    EXPECT_EQ(c.credentials, "s3cr&t");
    EXPECT_EQ(c.user_base, "ou=people,dc=example,dc=com");
    EXPECT_EQ(c.user_object_class, "inetOrgPerson");
    EXPECT_EQ(c.user_id_attribute, "mail");
    EXPECT_EQ(c.filter, "(&(a=b)(c=d))");
    EXPECT_EQ(c.connection_timeout, std::chrono::milliseconds(2000));
    EXPECT_EQ(c.read_timeout, std::chrono::milliseconds(3000));
    EXPECT_TRUE(c.virtual_hosting);
}

TEST(UsersRepository, MandatoryAttributesAreNamed) {
    try {
        read_users_repository(
            R"(<usersrepository ldapHost="ldap://h" userBase="b" userObjectClass="o"/>)",
            "usersrepository.xml", fake_env);
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("userIdAttribute"), std::string::npos);
    }
}

TEST(UsersRepository, RefusesMalformedXmlAndBadValues) {
    EXPECT_THROW(read_users_repository("<usersrepository ldapHost='ldap://h'", "f", fake_env),
                 ConfigError);
    EXPECT_THROW(read_users_repository("<other/>", "f", fake_env), ConfigError);
    EXPECT_THROW(
        read_users_repository(
            R"(<usersrepository ldapHost="h" userBase="b" userObjectClass="o" userIdAttribute="mail"/>)",
            "f", fake_env),
        ConfigError);
    EXPECT_THROW(
        read_users_repository(
            R"(<usersrepository ldapHost="ldap://h" userBase="b" userObjectClass="o" userIdAttribute="mail" readTimeout="soon"/>)",
            "f", fake_env),
        ConfigError);
    EXPECT_THROW(
        read_users_repository(
            R"(<usersrepository ldapHost="ldap://h" credentials="${env:UNSET}" userBase="b" userObjectClass="o" userIdAttribute="mail"/>)",
            "f", fake_env),
        ConfigError);
}

TEST(UsersRepository, CharacterReferences) {
    XmlElement e = parse_root_element(R"(<r a="caf&#233; &#x41;"><c>x &lt; y</c></r>)", "f");
    EXPECT_EQ(e.attributes["a"], "caf\xc3\xa9 A");
    EXPECT_EQ(e.children["c"], "x < y");
}

TEST(LdapFilter, EscapesSpecialCharacters) {
    EXPECT_EQ(escape_filter_value("a*b(c)d\\e"), "a\\2ab\\28c\\29d\\5ce");
    EXPECT_EQ(escape_filter_value("plain@example.com"), "plain@example.com");
}
