// Cutting an uploaded vCard file into cards (docs/reference/rest-api.md §17.3).

#include <gtest/gtest.h>

#include "worker/errors/invalid_input.hpp"
#include "worker/imports/vcard_split.hpp"

namespace twake::imports {
namespace {

const std::string kCards =
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "PRODID:-//Apple Inc.//iPhone OS 17//EN\r\n"
    "N:Doe;John;;;\r\n"
    "FN:John Doe\r\n"
    "item1.EMAIL;type=INTERNET;type=pref:john@example.com\r\n"
    "item1.X-ABLabel:_$!<Other>!$_\r\n"
    "NOTE:a long note that is\r\n"
    "  folded\r\n"
    "UID:old-uid\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\n"
    "VERSION:4.0\n"
    "FN:No Mail\n"
    "END:VCARD\n";

TEST(VcardSplit, FindsEveryCard) {
    auto cards = split_vcards(kCards);
    ASSERT_EQ(cards.size(), 2u);
    EXPECT_EQ(first_email(kCards, cards[0]), "john@example.com");
    EXPECT_EQ(first_email(kCards, cards[1]), "");
}

TEST(VcardSplit, NewUidNoProdidTheRestAsWritten) {
    auto cards = split_vcards(kCards);
    std::string card = card_with_uid(kCards, cards[0], "new-uid");
    EXPECT_EQ(card,
              "BEGIN:VCARD\r\n"
              "VERSION:3.0\r\n"
              "UID:new-uid\r\n"
              "N:Doe;John;;;\r\n"
              "FN:John Doe\r\n"
              "item1.EMAIL;type=INTERNET;type=pref:john@example.com\r\n"
              "item1.X-ABLabel:_$!<Other>!$_\r\n"
              "NOTE:a long note that is\r\n"
              "  folded\r\n"
              "END:VCARD\r\n");
    EXPECT_EQ(card_with_uid(kCards, cards[1], "u2"),
              "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:u2\r\nFN:No Mail\r\nEND:VCARD\r\n");
}

TEST(VcardSplit, RefusesWhatHoldsNoCard) {
    EXPECT_THROW(split_vcards("hello"), errors::InvalidInput);
    EXPECT_THROW(split_vcards("BEGIN:VCARD\r\nFN:x\r\n"), errors::InvalidInput);
    EXPECT_THROW(split_vcards("END:VCARD\r\n"), errors::InvalidInput);
}

}  // namespace
}  // namespace twake::imports
