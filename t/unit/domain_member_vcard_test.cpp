#include <gtest/gtest.h>

#include "worker/addressbook/vcard.hpp"
#include "domain_member_test_support.hpp"

using twake::addressbook::Contact;
using twake::addressbook::parse_vcards;
using twake::addressbook::write_vcard;
using twake::addressbook::testing::card;

TEST(DomainMemberVcard, WritesAVcard4WithoutProdid) {
    Contact c =
        card("alice", "Martin", "Alice", "Alice Martin", "alice@example.com", "+33 1 23 45 67 89");
    EXPECT_EQ(write_vcard(c),
              "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:alice\r\nFN:Alice Martin\r\n"
              "N:Martin;Alice;;;\r\nEMAIL:alice@example.com\r\n"
              "TEL;TYPE=work:+33 1 23 45 67 89\r\nEND:VCARD\r\n");
}

TEST(DomainMemberVcard, LeavesOutAbsentProperties) {
    Contact c =
        card("u", std::nullopt, std::nullopt, "bob@example.com", "bob@example.com", std::nullopt);
    EXPECT_EQ(write_vcard(c),
              "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:u\r\nFN:bob@example.com\r\n"
              "EMAIL:bob@example.com\r\nEND:VCARD\r\n");
}

TEST(DomainMemberVcard, EscapesFoldsAndReadsBack) {
    Contact c = card(
        "x,1", "Dupont; Durand", "Jean\\Luc",
        std::string(40, 'a') + "\xc3\xa9\xc3\xa9\xc3\xa9" + std::string(40, 'b') + ", line\nnext",
        "jl@example.com", std::nullopt);
    std::string text = write_vcard(c);
    for (size_t start = 0, end; (end = text.find("\r\n", start)) != std::string::npos;
         start = end + 2) {
        EXPECT_LE(end - start, 75u);
        // No UTF-8 sequence is cut by a fold.
        EXPECT_NE(static_cast<unsigned char>(text[start + (text[start] == ' ' ? 1 : 0)]) & 0xC0,
                  0x80);
    }
    auto cards = parse_vcards(text);
    ASSERT_EQ(cards.size(), 1u);
    EXPECT_EQ(cards[0], c);
}

TEST(DomainMemberVcard, ReadsAnExportOfSeveralCards) {
    std::string exported =
        "BEGIN:VCARD\nVERSION:3.0\nUID:a\nFN:A\nN:Fa;Ga;;;\nitem1.EMAIL;TYPE=INTERNET:a@x.org\n"
        "EMAIL:second@x.org\nTEL;VALUE=uri:tel:+1-555;ext=1\nEND:VCARD\n"
        "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:b\r\nFN:\r\nN:;;;;\r\nEND:VCARD\r\n"
        "begin:vcard\r\nuid:c\r\nemail:c@x.org\r\ntel;type=\"work,voice\":123\r\nend:vcard\r\n";
    auto cards = parse_vcards(exported);
    ASSERT_EQ(cards.size(), 3u);
    EXPECT_EQ(cards[0], (card("a", "Fa", "Ga", "A", "a@x.org", "+1-555")));
    EXPECT_EQ(cards[1],
              card("b", std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt));
    EXPECT_EQ(cards[2], (card("c", std::nullopt, std::nullopt, std::nullopt, "c@x.org", "123")));
}

TEST(DomainMemberVcard, ReadsNothingFromAnEmptyExport) {
    EXPECT_TRUE(parse_vcards("").empty());
    EXPECT_TRUE(parse_vcards("\r\n").empty());
}
