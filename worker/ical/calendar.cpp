#include "worker/ical/calendar.hpp"

#include <cctype>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include "shared/identity/address.hpp"

namespace twake::ical {

namespace {

struct StringFree {
    void operator()(char* s) const { std::free(s); }
};
using OwnedString = std::unique_ptr<char, StringFree>;

std::string_view trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
        text.remove_prefix(1);
    }
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
        text.remove_suffix(1);
    }
    return text;
}

}  // namespace

Component parse_calendar(const std::string& ics) {
    Component calendar(icalparser_parse_string(ics.c_str()));
    if (!calendar || icalcomponent_isa(calendar.get()) != ICAL_VCALENDAR_COMPONENT) {
        throw std::invalid_argument("not an iCalendar object");
    }
    return calendar;
}

std::string serialize(const icalcomponent* component) {
    OwnedString text(icalcomponent_as_ical_string_r(const_cast<icalcomponent*>(component)));
    return text ? text.get() : "";
}

std::vector<icalcomponent*> vevents(icalcomponent* calendar) {
    std::vector<icalcomponent*> out;
    for (icalcomponent* c = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT);
         c != nullptr; c = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)) {
        out.push_back(c);
    }
    return out;
}

std::string text_of(icalcomponent* event, icalproperty_kind kind) {
    icalproperty* p = icalcomponent_get_first_property(event, kind);
    if (p == nullptr) {
        return {};
    }
    const char* v = icalproperty_get_value_as_string(p);
    if (kind == ICAL_SUMMARY_PROPERTY || kind == ICAL_LOCATION_PROPERTY ||
        kind == ICAL_DESCRIPTION_PROPERTY || kind == ICAL_COMMENT_PROPERTY) {
        // The unescaped text, not its iCalendar form.
        icalvalue* value = icalproperty_get_value(p);
        v = value != nullptr ? icalvalue_get_text(value) : nullptr;
    }
    return v != nullptr ? v : "";
}

std::string x_property(icalcomponent* event, const char* name) {
    for (icalproperty* p = icalcomponent_get_first_property(event, ICAL_X_PROPERTY); p != nullptr;
         p = icalcomponent_get_next_property(event, ICAL_X_PROPERTY)) {
        const char* n = icalproperty_get_x_name(p);
        if (n != nullptr && std::string_view(n) == name) {
            const char* v = icalproperty_get_x(p);
            return v != nullptr ? v : "";
        }
    }
    return {};
}

std::string address_of(const char* cal_address) {
    std::string v = cal_address != nullptr ? cal_address : "";
    if (v.size() >= 7) {
        std::string scheme = v.substr(0, 7);
        for (auto& c : scheme) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        if (scheme == "mailto:") {
            v = v.substr(7);
        }
    }
    return v;
}

std::optional<std::string> bare_address(std::string_view address) {
    std::string_view text = trim(address);
    if (!text.empty() && text.front() == '<') {
        text.remove_prefix(1);
    }
    if (!text.empty() && text.back() == '>') {
        text.remove_suffix(1);
    }
    text = trim(text);
    constexpr std::string_view kMailto = "mailto:";
    if (identity::lower(text.substr(0, kMailto.size())) == kMailto) {
        text = trim(text.substr(kMailto.size()));
    }
    auto at = text.find('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == text.size()) {
        return std::nullopt;
    }
    return identity::lower(text);
}

std::optional<std::string> bare_address(const char* cal_address) {
    if (cal_address == nullptr) {
        return std::nullopt;
    }
    return bare_address(std::string_view(cal_address));
}

std::string parameter(icalproperty* p, icalparameter_kind kind) {
    icalparameter* param = icalproperty_get_first_parameter(p, kind);
    if (param == nullptr) {
        return {};
    }
    const char* v = icalparameter_get_xvalue(param);
    if (v == nullptr) {
        OwnedString text(icalparameter_as_ical_string_r(param));
        std::string s = text ? text.get() : "";
        auto eq = s.find('=');
        return eq == std::string::npos ? s : s.substr(eq + 1);
    }
    return v;
}

std::optional<std::string> recurrence_id_text(icalcomponent* event) {
    icalproperty* p = icalcomponent_get_first_property(event, ICAL_RECURRENCEID_PROPERTY);
    if (p == nullptr) {
        return std::nullopt;
    }
    const char* v = icalproperty_get_value_as_string(p);
    return std::string(v != nullptr ? v : "");
}

bool is_recurring(icalcomponent* event) {
    return icalcomponent_get_first_property(event, ICAL_RRULE_PROPERTY) != nullptr ||
           icalcomponent_get_first_property(event, ICAL_RDATE_PROPERTY) != nullptr ||
           icalcomponent_get_first_property(event, ICAL_RECURRENCEID_PROPERTY) != nullptr;
}

}  // namespace twake::ical
