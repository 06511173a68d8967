#include "worker/services/calendar_mailer.hpp"

#include "shared/identity/address.hpp"
#include "worker/mail/mime_message.hpp"
#include "worker/settings/user_settings.hpp"

namespace twake::services {

namespace {

// How long a send may take at most: every connection attempt and its pause, then the answers
// of the exchange (docs/mail.md §3), with a margin.
std::chrono::milliseconds send_deadline(const mail::SmtpConfig& smtp) {
    mail::ConnectRetry retry;
    std::chrono::milliseconds pauses{0};
    for (int attempt = 1; attempt <= retry.retries; ++attempt) {
        pauses += mail::connect_backoff(retry, attempt);
    }
    return smtp.connect_timeout * (retry.retries + 1) + pauses + smtp.command_timeout * 4 +
           std::chrono::seconds(5);
}

}  // namespace

CalendarMailer::CalendarMailer(const config::WorkerConfig& config, store::UserStore& users,
                               store::ConfigurationStore& configurations,
                               runtime::BlockingPool& blocking, mail::MailMetrics& metrics)
    : config_(config),
      mail_(config.mail.value()),
      users_(users),
      configurations_(configurations),
      blocking_(blocking),
      metrics_(metrics),
      templates_(mail_.template_location, mail_.template_defaults),
      whitelist_(mail_.recipient_whitelist),
      sender_(mail_.smtp, whitelist_) {}

bool CalendarMailer::allowed(const std::string& address) const {
    return whitelist_.allows(address);
}

mail::LocaleSettings CalendarMailer::locale_settings(const std::string& address) const {
    auto user = users_.find_by_email(identity::lower(address));
    return user ? settings_of_user(*user) : mail::LocaleSettings{};
}

mail::LocaleSettings CalendarMailer::settings_of_user(const store::User& user) const {
    if (!user.domain_id) {
        return {};
    }
    json::Json stored = configurations_.read(user.id, *user.domain_id);
    settings::UserSettings settings(config_, stored.get());
    return {settings.language(), settings.timezone()};
}

mail::SendOutcome CalendarMailer::send_now(const MailRequest& request) const {
    const auto started = std::chrono::steady_clock::now();
    const std::string_view name = mail::template_name(request.facts.kind);
    try {
        mail::SendOutcome outcome = write_and_send(request);
        metrics_.sent(name, outcome == mail::SendOutcome::Sent ? "sent" : "no_recipient",
                      std::chrono::steady_clock::now() - started);
        return outcome;
    } catch (...) {
        metrics_.sent(name, "failed", std::chrono::steady_clock::now() - started);
        throw;
    }
}

mail::SendOutcome CalendarMailer::write_and_send(const MailRequest& request) const {
    mail::MailFacts facts = request.facts;
    // Each address is looked up once per mail (sender, organizer and actor are often one).
    std::map<std::string, std::optional<store::User>> known = request.known_users;
    auto user_of = [&](const std::string& address) -> const std::optional<store::User>& {
        std::string key = identity::lower(address);
        auto it = known.find(key);
        if (it == known.end()) {
            it = known.emplace(key, users_.find_by_email(key)).first;
        }
        return it->second;
    };
    // A known user is named as the directory names them (docs/mail.md §2).
    auto name_from_directory = [&](mail::Person& person) {
        const auto& user = user_of(person.email);
        if (!user) {
            return;
        }
        std::string name = user->firstname;
        if (!user->lastname.empty()) {
            name += (name.empty() ? "" : " ") + user->lastname;
        }
        if (!name.empty()) {
            person.name = name;
        }
    };
    name_from_directory(facts.recipient);
    if (facts.actor) {
        name_from_directory(*facts.actor);
    }
    if (facts.event.organizer) {
        name_from_directory(*facts.event.organizer);
    }
    auto settings_of = [&](const std::string& address) -> mail::LocaleSettings {
        const auto& user = user_of(address);
        return user ? settings_of_user(*user) : mail::LocaleSettings{};
    };
    mail::LocaleSettings own = settings_of(facts.recipient.email);
    mail::LocaleSettings fallback;
    if (!own.language && !request.locale_fallback.empty()) {
        fallback = settings_of(request.locale_fallback);  // only for a recipient who is no user
    }
    mail::MailLocale locale = mail::choose_locale(own, fallback);
    mail::ComposedMail composed =
        mail::compose_mail(templates_, facts, locale, request.ics, mail_.sender);
    return sender_.send(composed.envelope, mail::build_mime(composed.message));
}

runtime::Awaitable<mail::SendOutcome> CalendarMailer::send(const MailRequest& request) const {
    // A copy: after the deadline the send may still run while the caller is gone.
    auto work = [this, copy = request] { return send_now(copy); };
    co_return co_await blocking_.run(work, send_deadline(mail_.smtp));
}

}  // namespace twake::services
