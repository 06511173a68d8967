#include "worker/mail/mail_locale.hpp"

#include "worker/mail/local_time.hpp"

namespace twake::mail {

namespace {

bool usable_zone(const std::optional<std::string>& zone) {
    return zone && !zone->empty() && known_timezone(*zone);
}

}  // namespace

MailLocale choose_locale(const LocaleSettings& recipient, const LocaleSettings& sender) {
    MailLocale out;
    if (recipient.language && !recipient.language->empty()) {
        out.language = *recipient.language;
    } else if (sender.language && !sender.language->empty()) {
        out.language = *sender.language;
    }
    if (usable_zone(recipient.timezone)) {
        out.timezone = *recipient.timezone;
    } else if (usable_zone(sender.timezone)) {
        out.timezone = *sender.timezone;
    }
    return out;
}

}  // namespace twake::mail
