#pragma once

// The mail settings of configuration.properties (docs/configuration.md §2.1, docs/mail.md).

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace twake::mail {

enum class SmtpSecurity {
    Plain,        // no TLS
    StartTls,     // smtp.starttls.enabled: EHLO, STARTTLS, EHLO again
    ImplicitTls,  // smtp.ssl.enabled: TLS from the first byte
};

struct SmtpConfig {
    std::string host;
    int port = 25;
    std::string helo;
    // Both or neither (AUTH PLAIN).
    std::optional<std::string> username;
    std::optional<std::string> password;
    SmtpSecurity security = SmtpSecurity::Plain;
    bool trust_all_certificates = false;
    // Bounds of one attempt: the TCP and TLS connection, then each server answer.
    std::chrono::milliseconds connect_timeout{5000};
    std::chrono::milliseconds command_timeout{30000};
};

struct MailConfig {
    SmtpConfig smtp;
    std::string sender;  // From of the mails no user sends (mail.sender)
    // The operator's templates, looked up before the installed ones (empty: none).
    std::filesystem::path template_location;
    std::filesystem::path template_defaults = "/usr/share/twake-calendar/mail-templates";
    std::vector<std::string> recipient_whitelist;  // empty: everyone
};

}  // namespace twake::mail
