#pragma once

// Sends one message over SMTP through libcurl: one connection per mail, EHLO, STARTTLS and
// EHLO again when configured, AUTH PLAIN, then the mail transaction (docs/mail.md §3).
// Blocking: call it on the worker's blocking pool (runtime::BlockingPool).

#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "worker/mail/mail_config.hpp"
#include "worker/mail/recipient_whitelist.hpp"

namespace twake::mail {

// The mail was not accepted: no connection after the retries, TLS or AUTH failure, every
// recipient refused, or the server refused the content. Never carries the password.
class SmtpError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct Envelope {
    std::string sender;                   // MAIL FROM
    std::vector<std::string> recipients;  // one RCPT TO each
};

// How long to wait before each new connection attempt (docs/mail.md §3).
struct ConnectRetry {
    int retries = 3;
    std::chrono::milliseconds first_backoff{100};
    std::chrono::milliseconds max_backoff{5000};
};

enum class SendOutcome {
    Sent,
    NoRecipientAllowed,  // the whitelist left nobody: nothing sent, not an error
};

class SmtpSender {
  public:
    SmtpSender(SmtpConfig config, RecipientWhitelist whitelist, ConnectRetry retry = {});

    // `message` is the whole RFC 5322 message with CRLF line ends. Throws SmtpError.
    SendOutcome send(const Envelope& envelope, const std::string& message) const;

    // For tests: replaces the pause between connection attempts.
    void set_sleep(std::function<void(std::chrono::milliseconds)> sleep) {
        sleep_ = std::move(sleep);
    }

  private:
    SmtpConfig config_;
    RecipientWhitelist whitelist_;
    ConnectRetry retry_;
    std::function<void(std::chrono::milliseconds)> sleep_;
};

// The pause before retry `attempt` (1-based): doubling from the first, capped.
std::chrono::milliseconds connect_backoff(const ConnectRetry& retry, int attempt);

// smtp://host:port/helo or smtps://…; an IPv6 literal is bracketed.
std::string smtp_url(const SmtpConfig& config);

}  // namespace twake::mail
