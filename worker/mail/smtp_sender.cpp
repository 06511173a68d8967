#include "worker/mail/smtp_sender.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <thread>

namespace twake::mail {

namespace {

struct EasyDelete {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDelete {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using Easy = std::unique_ptr<CURL, EasyDelete>;
using Slist = std::unique_ptr<curl_slist, SlistDelete>;

struct Upload {
    const std::string* data;
    size_t offset = 0;
};

size_t read_message(char* buffer, size_t size, size_t count, void* user) {
    auto* upload = static_cast<Upload*>(user);
    size_t n = std::min(size * count, upload->data->size() - upload->offset);
    std::memcpy(buffer, upload->data->data() + upload->offset, n);
    upload->offset += n;
    return n;
}

std::string angle(const std::string& address) {
    return "<" + address + ">";
}

// Failures before any SMTP exchange: a new connection may succeed, and nothing was sent
// yet, so retrying cannot duplicate a mail.
bool before_connection(CURLcode code, CURL* easy) {
    if (code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST) {
        return true;
    }
    if (code == CURLE_OPERATION_TIMEDOUT) {
        curl_off_t connected = 0;
        curl_easy_getinfo(easy, CURLINFO_CONNECT_TIME_T, &connected);
        return connected == 0;
    }
    return false;
}

}  // namespace

std::chrono::milliseconds connect_backoff(const ConnectRetry& retry, int attempt) {
    auto pause = retry.first_backoff;
    for (int i = 1; i < attempt && pause < retry.max_backoff; ++i) {
        pause *= 2;
    }
    return std::min(pause, retry.max_backoff);
}

std::string smtp_url(const SmtpConfig& config) {
    std::string host = config.host;
    if (host.find(':') != std::string::npos && !host.starts_with("[")) {
        host = "[" + host + "]";
    }
    std::string scheme = config.security == SmtpSecurity::ImplicitTls ? "smtps://" : "smtp://";
    // curl takes the EHLO name from the URL's path.
    return scheme + host + ":" + std::to_string(config.port) + "/" + config.helo;
}

SmtpSender::SmtpSender(SmtpConfig config, RecipientWhitelist whitelist, ConnectRetry retry)
    : config_(std::move(config)),
      whitelist_(std::move(whitelist)),
      retry_(retry),
      sleep_([](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); }) {}

SendOutcome SmtpSender::send(const Envelope& envelope, const std::string& message) const {
    std::vector<std::string> recipients = whitelist_.filter(envelope.recipients);
    if (recipients.empty()) {
        return SendOutcome::NoRecipientAllowed;
    }
    Slist rcpt;
    for (const auto& r : recipients) {
        curl_slist* next = curl_slist_append(rcpt.get(), angle(r).c_str());
        if (next == nullptr) {
            throw SmtpError("cannot allocate the recipient list");
        }
        rcpt.release();
        rcpt.reset(next);
    }
    const std::string url = smtp_url(config_);
    const std::string from = angle(envelope.sender);

    for (int attempt = 0;; ++attempt) {
        Easy easy(curl_easy_init());
        if (!easy) {
            throw SmtpError("cannot allocate a curl handle");
        }
        CURL* c = easy.get();
        char error[CURL_ERROR_SIZE] = {};
        Upload upload{&message};
        curl_easy_setopt(c, CURLOPT_URL, url.c_str());
        curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // called from worker threads
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                         static_cast<long>(config_.connect_timeout.count()));
        // Each server answer is bounded; the whole exchange too, so that a server that
        // answers slowly to every command cannot hold a pool thread for ever.
        curl_easy_setopt(
            c, CURLOPT_SERVER_RESPONSE_TIMEOUT,
            static_cast<long>(std::max<int64_t>(1, config_.command_timeout.count() / 1000)));
        curl_easy_setopt(c, CURLOPT_TIMEOUT_MS,
                         static_cast<long>(config_.connect_timeout.count() +
                                           4 * config_.command_timeout.count()));
        if (config_.security == SmtpSecurity::StartTls) {
            curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
        }
        if (config_.trust_all_certificates) {
            curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
            curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
        }
        if (config_.username) {
            curl_easy_setopt(c, CURLOPT_USERNAME, config_.username->c_str());
            curl_easy_setopt(c, CURLOPT_PASSWORD, config_.password.value_or("").c_str());
            curl_easy_setopt(c, CURLOPT_LOGIN_OPTIONS, "AUTH=PLAIN");
        }
        curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
        curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
        // Individual refusals are tolerated; curl fails only when every recipient is refused.
        curl_easy_setopt(c, CURLOPT_MAIL_RCPT_ALLLOWFAILS, 1L);
        curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
        curl_easy_setopt(c, CURLOPT_READFUNCTION, &read_message);
        curl_easy_setopt(c, CURLOPT_READDATA, &upload);

        CURLcode code = curl_easy_perform(c);
        if (code == CURLE_OK) {
            return SendOutcome::Sent;
        }
        if (before_connection(code, c) && attempt < retry_.retries) {
            sleep_(connect_backoff(retry_, attempt + 1));
            continue;
        }
        long reply = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
        std::string what = error[0] != '\0' ? error : curl_easy_strerror(code);
        if (reply == 530) {
            // curl authenticates only when the server offers AUTH on the connection.
            what += config_.username
                        ? ": the server wants authentication but offered no AUTH on this "
                          "connection (many offer it only over TLS: check smtp.starttls.enabled "
                          "and smtp.ssl.enabled)"
                        : ": the server wants authentication: set smtp.username and smtp.password";
        }
        throw SmtpError("SMTP " + config_.host + ":" + std::to_string(config_.port) + ": " + what +
                        (reply != 0 ? " (last reply " + std::to_string(reply) + ")" : "") +
                        " after " + std::to_string(attempt + 1) + " attempt(s)");
    }
}

}  // namespace twake::mail
