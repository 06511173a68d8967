#pragma once

// How long until an event starts, in words, for the alarm mail (docs/mail.md §5.1): days, hours
// and minutes in the recipient's language ("1 hour 5 minutes", "1 heure 5 minutes").

#include <chrono>
#include <string>

namespace twake::mail {

// English unless `language` is French; "0 minutes" for a start already reached.
std::string lead_time_text(std::chrono::minutes lead, const std::string& language);

}  // namespace twake::mail
