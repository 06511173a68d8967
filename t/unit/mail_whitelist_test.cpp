// mail.imip.recipient.whitelist (docs/mail.md §3).

#include <gtest/gtest.h>

#include "worker/mail/recipient_whitelist.hpp"
#include "worker/mail/smtp_sender.hpp"

namespace twake::mail {
namespace {

TEST(RecipientWhitelist, EmptyAllowsEveryone) {
    RecipientWhitelist everyone;
    EXPECT_TRUE(everyone.allows("anyone@example.com"));
    EXPECT_EQ(everyone.filter({"a@x.org", "b@y.org"}).size(), 2u);
}

TEST(RecipientWhitelist, KeepsListedAddressesCaseInsensitively) {
    RecipientWhitelist list({"Alice@Example.com", " bob@example.com "});
    EXPECT_TRUE(list.allows("alice@example.com"));
    EXPECT_TRUE(list.allows("BOB@EXAMPLE.COM"));
    EXPECT_FALSE(list.allows("eve@example.com"));
    EXPECT_EQ(list.filter({"eve@example.com", "ALICE@example.com", "carol@example.com"}),
              std::vector<std::string>{"ALICE@example.com"});
}

TEST(RecipientWhitelist, NobodyLeftMeansNothingSentAndNoConnection) {
    SmtpConfig config;
    config.host = "192.0.2.1";  // never contacted
    config.port = 25;
    config.helo = "test";
    SmtpSender sender(config, RecipientWhitelist({"alice@example.com"}));
    EXPECT_EQ(sender.send({"org@example.com", {"eve@example.com"}}, "Subject: x\r\n\r\nx\r\n"),
              SendOutcome::NoRecipientAllowed);
}

TEST(SmtpSender, RetriesTheConnectionThreeTimesWithGrowingPauses) {
    SmtpConfig config;
    config.host = "127.0.0.1";
    config.port = 1;  // refused at once
    config.helo = "test";
    SmtpSender sender(config, RecipientWhitelist());
    std::vector<std::chrono::milliseconds> pauses;
    sender.set_sleep([&](std::chrono::milliseconds d) { pauses.push_back(d); });
    EXPECT_THROW(sender.send({"org@example.com", {"a@example.com"}}, "x\r\n"), SmtpError);
    EXPECT_EQ(pauses, (std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(100),
                                                              std::chrono::milliseconds(200),
                                                              std::chrono::milliseconds(400)}));
}

TEST(SmtpSender, BackoffIsCapped) {
    ConnectRetry retry{10, std::chrono::milliseconds(100), std::chrono::milliseconds(5000)};
    EXPECT_EQ(connect_backoff(retry, 1), std::chrono::milliseconds(100));
    EXPECT_EQ(connect_backoff(retry, 7), std::chrono::milliseconds(5000));
}

TEST(SmtpSender, UrlCarriesSchemeAndHeloName) {
    SmtpConfig config;
    config.host = "::1";
    config.port = 465;
    config.helo = "calendar.example.com";
    config.security = SmtpSecurity::ImplicitTls;
    EXPECT_EQ(smtp_url(config), "smtps://[::1]:465/calendar.example.com");
    config.host = "smtp.example.com";
    config.security = SmtpSecurity::StartTls;
    EXPECT_EQ(smtp_url(config), "smtp://smtp.example.com:465/calendar.example.com");
}

}  // namespace
}  // namespace twake::mail
