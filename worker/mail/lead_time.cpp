#include "worker/mail/lead_time.hpp"

namespace twake::mail {

namespace {

struct Unit {
    const char* one;
    const char* many;
};

struct Words {
    Unit day, hour, minute;
};

constexpr Words kEnglish{{"day", "days"}, {"hour", "hours"}, {"minute", "minutes"}};
constexpr Words kFrench{{"jour", "jours"}, {"heure", "heures"}, {"minute", "minutes"}};

void append(std::string& out, long long count, const Unit& unit) {
    if (!out.empty()) {
        out += ' ';
    }
    out += std::to_string(count) + ' ' + (count == 1 ? unit.one : unit.many);
}

}  // namespace

std::string lead_time_text(std::chrono::minutes lead, const std::string& language) {
    const Words& words = language.starts_with("fr") ? kFrench : kEnglish;
    long long total = lead.count() > 0 ? lead.count() : 0;
    const long long days = total / (24 * 60);
    const long long hours = total / 60 % 24;
    const long long minutes = total % 60;
    std::string out;
    if (days > 0) {
        append(out, days, words.day);
    }
    if (hours > 0) {
        append(out, hours, words.hour);
    }
    if (minutes > 0 || out.empty()) {
        append(out, minutes, words.minute);
    }
    return out;
}

}  // namespace twake::mail
