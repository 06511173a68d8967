#pragma once

// Reading jCal (RFC 7265) as esn-sabre's event messages carry it: components, their
// properties, and the instants of date and date-time values.

#include <cjson/cJSON.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace twake::search::jcal {

// A borrowed `[name, params, type, value…]` property.
struct Property {
    std::string name;  // lower-case
    const cJSON* params = nullptr;
    std::string type;              // "text", "date-time", "date", "integer"…
    const cJSON* value = nullptr;  // the first value; nullptr when there is none

    // The value when it is a string.
    std::optional<std::string> text() const;
    // A parameter's value when it is a string.
    std::optional<std::string> parameter(const char* name) const;
};

// The sub-components named `name` (lower-case) of a `[name, props, components]` component.
std::vector<const cJSON*> components(const cJSON* component, const char* name);
// The properties of a component, in order; malformed ones are left out.
std::vector<Property> properties(const cJSON* component);
// The first property named `name`, nullopt when absent.
std::optional<Property> first(const std::vector<Property>& props, const char* name);

// The instant of a date or date-time property: a date is its midnight UTC; a date-time with
// `Z` or an offset is that instant; a local one is in the zone of its `tzid` parameter (UTC
// when ICU does not know it, or without `tzid`). nullopt when the value is not one.
struct Instant {
    std::chrono::sys_seconds when;
    bool date_only = false;
};
std::optional<Instant> instant_of(const Property& p);

// The seconds of an iCalendar duration ("PT1H30M", "-P1D"); nullopt when it is not one.
std::optional<long long> duration_seconds(const std::string& text);

}  // namespace twake::search::jcal
