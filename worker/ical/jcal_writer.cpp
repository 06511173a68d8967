#include "worker/ical/jcal_writer.hpp"

#include <cctype>
#include <cstdlib>
#include <string>
#include <string_view>

namespace twake::ical {

namespace {

using json::Json;

std::string lower(const char* text) {
    std::string out = text != nullptr ? text : "";
    for (char& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

// "20250419T110000Z" → "2025-04-19T11:00:00Z"; "20250419" → "2025-04-19".
std::string dashed(const std::string& ical) {
    if (ical.size() < 8) {
        return ical;
    }
    std::string out = ical.substr(0, 4) + "-" + ical.substr(4, 2) + "-" + ical.substr(6, 2);
    if (ical.size() >= 15 && ical[8] == 'T') {
        out += "T" + ical.substr(9, 2) + ":" + ical.substr(11, 2) + ":" + ical.substr(13, 2);
        out += ical.substr(15);  // "Z" or nothing
    }
    return out;
}

// "+0100" → "+01:00".
std::string offset(const std::string& ical) {
    if (ical.size() < 5) {
        return ical;
    }
    return ical.substr(0, 3) + ":" + ical.substr(3);
}

Json string_value(const std::string& text) {
    Json holder = Json::array();
    holder.push(std::string_view(text));
    return Json::copy_of(cJSON_GetArrayItem(holder.get(), 0));
}

template <class T>
Json scalar_value(T value) {
    Json holder = Json::object();  // Json makes scalars only as members
    holder.set("v", value);
    return Json::copy_of(cJSON_GetObjectItemCaseSensitive(holder.get(), "v"));
}

Json number_value(double number) {
    return scalar_value(number);
}

// "FREQ=WEEKLY;COUNT=4;BYDAY=MO,TU" → {"freq":"WEEKLY","count":4,"byday":["MO","TU"]}.
Json recur(const std::string& rule) {
    Json out = Json::object();
    std::size_t at = 0;
    while (at < rule.size()) {
        std::size_t end = rule.find(';', at);
        if (end == std::string::npos) {
            end = rule.size();
        }
        std::string part = rule.substr(at, end - at);
        at = end + 1;
        auto eq = part.find('=');
        if (eq == std::string::npos) {
            continue;
        }
        std::string key = lower(part.substr(0, eq).c_str());
        std::string value = part.substr(eq + 1);
        if (key == "count" || key == "interval") {
            out.set(key.c_str(), number_value(std::atof(value.c_str())));
        } else if (key == "until") {
            out.set(key.c_str(), dashed(value));
        } else if (value.find(',') != std::string::npos) {
            Json list = Json::array();
            std::size_t from = 0;
            while (from <= value.size()) {
                std::size_t comma = value.find(',', from);
                if (comma == std::string::npos) {
                    comma = value.size();
                }
                list.push(value.substr(from, comma - from));
                from = comma + 1;
            }
            out.set(key.c_str(), std::move(list));
        } else {
            out.set(key.c_str(), value);
        }
    }
    return out;
}

struct TypedValue {
    std::string type;
    Json value;
};

TypedValue value_of(icalproperty* property) {
    icalvalue* value = icalproperty_get_value(property);
    if (value == nullptr) {
        return {"unknown", string_value("")};
    }
    const char* text = icalvalue_as_ical_string(value);  // libical's ring buffer
    std::string ical = text != nullptr ? text : "";
    switch (icalvalue_isa(value)) {
        case ICAL_DATETIME_VALUE:
            return {"date-time", string_value(dashed(ical))};
        case ICAL_DATE_VALUE:
            return {"date", string_value(dashed(ical))};
        case ICAL_DATETIMEPERIOD_VALUE: {
            struct icaldatetimeperiodtype dtp = icalvalue_get_datetimeperiod(value);
            bool date = icaltime_is_date(dtp.time) != 0;
            return {date ? "date" : "date-time", string_value(dashed(ical))};
        }
        case ICAL_INTEGER_VALUE:
            return {"integer", number_value(icalvalue_get_integer(value))};
        case ICAL_FLOAT_VALUE:
            return {"float", number_value(icalvalue_get_float(value))};
        case ICAL_BOOLEAN_VALUE:
            return {"boolean", scalar_value(icalvalue_get_boolean(value) != 0)};
        case ICAL_UTCOFFSET_VALUE:
            return {"utc-offset", string_value(offset(ical))};
        case ICAL_RECUR_VALUE:
            return {"recur", recur(ical)};
        case ICAL_CALADDRESS_VALUE:
            return {"cal-address", string_value(ical)};
        case ICAL_DURATION_VALUE:
            return {"duration", string_value(ical)};
        case ICAL_URI_VALUE:
            return {"uri", string_value(ical)};
        case ICAL_TEXT_VALUE: {
            const char* unescaped = icalvalue_get_text(value);
            return {"text", string_value(unescaped != nullptr ? unescaped : "")};
        }
        case ICAL_X_VALUE: {
            const char* raw = icalvalue_get_x(value);
            return {"unknown", string_value(raw != nullptr ? raw : ical)};
        }
        default:
            // Enumerated values (CLASS, STATUS, ACTION, TRANSP…) are text in jCal; only
            // properties libical does not know are "unknown".
            return {icalproperty_isa(property) == ICAL_X_PROPERTY ? "unknown" : "text",
                    string_value(ical)};
    }
}

Json parameters_of(icalproperty* property) {
    Json params = Json::object();
    for (icalparameter* p = icalproperty_get_first_parameter(property, ICAL_ANY_PARAMETER);
         p != nullptr; p = icalproperty_get_next_parameter(property, ICAL_ANY_PARAMETER)) {
        std::string name = icalparameter_isa(p) == ICAL_X_PARAMETER
                               ? lower(icalparameter_get_xname(p))
                               : lower(icalparameter_kind_to_string(icalparameter_isa(p)));
        if (name.empty() || name == "value") {
            continue;  // VALUE is the jCal type
        }
        const char* text = icalparameter_get_xvalue(p);
        std::string value;
        if (icalparameter_isa(p) == ICAL_X_PARAMETER) {
            value = text != nullptr ? text : "";
        } else {
            // "CN=Alice" → the value after the first '='.
            const char* whole = icalparameter_as_ical_string(p);
            std::string s = whole != nullptr ? whole : "";
            auto eq = s.find('=');
            value = eq == std::string::npos ? s : s.substr(eq + 1);
            if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
                value = value.substr(1, value.size() - 2);
            }
        }
        params.set(name.c_str(), value);
    }
    return params;
}

Json property_of(icalproperty* property) {
    std::string name = icalproperty_isa(property) == ICAL_X_PROPERTY
                           ? lower(icalproperty_get_x_name(property))
                           : lower(icalproperty_get_property_name(property));
    TypedValue typed = value_of(property);
    Json out = Json::array();
    out.push(std::string_view(name));
    out.push(parameters_of(property));
    out.push(std::string_view(typed.type));
    out.push(std::move(typed.value));
    return out;
}

}  // namespace

Json to_jcal(icalcomponent* component) {
    Json properties = Json::array();
    for (icalproperty* p = icalcomponent_get_first_property(component, ICAL_ANY_PROPERTY);
         p != nullptr; p = icalcomponent_get_next_property(component, ICAL_ANY_PROPERTY)) {
        properties.push(property_of(p));
    }
    Json components = Json::array();
    for (icalcomponent* c = icalcomponent_get_first_component(component, ICAL_ANY_COMPONENT);
         c != nullptr; c = icalcomponent_get_next_component(component, ICAL_ANY_COMPONENT)) {
        components.push(to_jcal(c));
    }
    Json out = Json::array();
    out.push(std::string_view(lower(icalcomponent_kind_to_string(icalcomponent_isa(component)))));
    out.push(std::move(properties));
    out.push(std::move(components));
    return out;
}

}  // namespace twake::ical
