#pragma once

// Which language and time zone a mail is written in (docs/mail.md §5.4).

#include <optional>
#include <string>

namespace twake::mail {

struct MailLocale {
    std::string language = "en";
    std::string timezone = "UTC";
};

// A person's core.language and core.datetime.timeZone as their settings resolve them
// (user, then domain, then defaults); both absent for an address that is no user.
struct LocaleSettings {
    std::optional<std::string> language;
    std::optional<std::string> timezone;
};

// The recipient's own settings, else (iTIP mail to an external address) the sender's, else
// English and UTC. An unknown time zone counts as absent.
MailLocale choose_locale(const LocaleSettings& recipient, const LocaleSettings& sender);

}  // namespace twake::mail
