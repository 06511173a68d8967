// The mail keys of configuration.properties (docs/configuration.md §2.1).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "shared/config/config_error.hpp"
#include "worker/config/known_keys.hpp"
#include "worker/config/worker_config.hpp"

namespace twake::config {
namespace {

namespace fs = std::filesystem;

class MailConfigTest : public ::testing::Test {
  protected:
    fs::path dir = fs::temp_directory_path() / "twake-mail-config-test";

    void SetUp() override {
        fs::remove_all(dir);
        fs::create_directories(dir);
        std::ofstream(dir / "rabbitmq.properties") << "uri=amqp://guest:guest@127.0.0.1:5672\n";
        std::ofstream(dir / "opensearch.properties")
            << "opensearch.hosts=127.0.0.1:9200\nopensearch.hostScheme=http\n";
    }
    void TearDown() override { fs::remove_all(dir); }

    WorkerConfig load(const std::string& mail_keys) {
        std::ofstream(dir / "configuration.properties")
            << "mongo.url=mongodb://127.0.0.1:27017\ndav.url=http://127.0.0.1:8001\n"
               "dav.admin.user=admin\ndav.admin.password=secret\n"
            << mail_keys;
        return load_worker_config(dir);
    }
};

TEST_F(MailConfigTest, NoSmtpHostNoMail) {
    EXPECT_FALSE(load("").mail);
}

TEST_F(MailConfigTest, ReadsEveryKey) {
    WorkerConfig c = load(
        "smtp.host=smtp.example.com\nsmtp.port=587\nsmtp.helo=calendar.example.com\n"
        "smtp.username=u\nsmtp.password=p\nsmtp.starttls.enabled=true\n"
        "smtp.ssl.trustAllCerts=true\nmail.sender=noreply@example.com\n"
        "mail.template.location=file://templates\nmail.imip.recipient.whitelist=a@x.org, b@y.org\n"
        "smtp.connect.timeout=2s\nsmtp.command.timeout=10s\n");
    ASSERT_TRUE(c.mail);
    EXPECT_EQ(c.mail->smtp.host, "smtp.example.com");
    EXPECT_EQ(c.mail->smtp.port, 587);
    EXPECT_EQ(c.mail->smtp.security, mail::SmtpSecurity::StartTls);
    EXPECT_TRUE(c.mail->smtp.trust_all_certificates);
    EXPECT_EQ(c.mail->smtp.username, "u");
    EXPECT_EQ(c.mail->smtp.connect_timeout, std::chrono::seconds(2));
    EXPECT_EQ(c.mail->smtp.command_timeout, std::chrono::seconds(10));
    EXPECT_EQ(c.mail->template_location, dir / "templates");
    EXPECT_EQ(c.mail->recipient_whitelist, (std::vector<std::string>{"a@x.org", "b@y.org"}));
    EXPECT_TRUE(c.unknown_keys.empty());
}

TEST_F(MailConfigTest, RefusesContradictions) {
    const std::string base = "smtp.host=h\nsmtp.port=25\nsmtp.helo=h\nmail.sender=s@x.org\n";
    EXPECT_NO_THROW(load(base));
    EXPECT_THROW(load(base + "smtp.ssl.enabled=true\nsmtp.starttls.enabled=true\n"), ConfigError);
    EXPECT_THROW(load(base + "smtp.username=u\n"), ConfigError);
    EXPECT_THROW(load("smtp.host=h\nsmtp.helo=h\nmail.sender=s@x.org\n"), ConfigError);
    EXPECT_THROW(load("smtp.host=h\nsmtp.port=25\nsmtp.helo=h\n"), ConfigError);
}

TEST(MailKeys, OursAreKnown) {
    EXPECT_TRUE(known_key("configuration.properties", "smtp.connect.timeout"));
    EXPECT_TRUE(known_key("configuration.properties", "smtp.command.timeout"));
    EXPECT_TRUE(known_key("configuration.properties", "mail.template.defaults"));
}

}  // namespace
}  // namespace twake::config
