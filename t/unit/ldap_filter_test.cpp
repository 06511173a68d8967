#include <gtest/gtest.h>

#include "worker/ldap/ldap_filter.hpp"

using twake::ldap::parse_filter;

TEST(LdapFilter, AcceptsRfc4515Filters) {
    for (const char* f :
         {"(cn=Babs Jensen)", "(!(cn=Tim Howes))",
          "(&(objectClass=Person)(|(sn=Jensen)(cn=Babs J*)))", "(o=univ*of*mich*)", "(seeAlso=)",
          "(cn:caseExactMatch:=Fred Flintstone)", "(cn:=Betty Rubble)",
          "(sn:dn:2.4.6.8.10:=Barney Rubble)", "(o:dn:=Ace Industry)", "(:1.2.3:=Wilma Flintstone)",
          "(:DN:2.4.6.8.10:=Dino)", "(o=Parens R Us \\28for all your parenthetical needs\\29)",
          "(cn=*\\2A*)", "(filename=C:\\5cMyFile)", "(mail=*)", "(!(departmentNumber=SECRET))",
          "(uidNumber>=1000)", "(&)"}) {
        EXPECT_EQ(parse_filter(f), std::optional<std::string>(f)) << f;
    }
}

TEST(LdapFilter, GivesABareItemItsParentheses) {
    EXPECT_EQ(parse_filter("uid=alice"), "(uid=alice)");
}

TEST(LdapFilter, RefusesWhatIsNotAFilter) {
    for (const char* f :
         {"",           "(",    ")",      "()",       "(cn=a",        "cn=a)",     "(cn=a))",
          "((cn=a))",   "(=a)", "(cn~a)", "(cn=a(b)", "(cn=a\\)",     "(cn=a\\2)", "(cn=a\\zz)",
          "(&(cn=a)x)", "(!)",  "(:=a)",  "(cn:=a*)", "(cn=a)(sn=b)", "(cn>=a*)",  "(c n=a)"}) {
        EXPECT_EQ(parse_filter(f), std::nullopt) << f;
    }
}

TEST(LdapFilter, RefusesAHostileNesting) {
    std::string deep;
    for (int i = 0; i < 200; ++i) {
        deep += "(!";
    }
    deep += "(cn=a)";
    for (int i = 0; i < 200; ++i) {
        deep += ")";
    }
    EXPECT_EQ(parse_filter(deep), std::nullopt);
}
