#include "worker/settings/domain_settings.hpp"

#include <algorithm>
#include <set>
#include <vector>

#include "shared/identity/address.hpp"

namespace twake::settings {

namespace {

constexpr const char* kUserSearchMode = "userSearchMode";
constexpr const char* kResourceSearchEnabled = "resourceSearchEnabled";
constexpr const char* kDefaultCalendarPublicVisibility = "defaultCalendarPublicVisibility";
constexpr const char* kCalendarPublicVisibilitySettingEnabled =
    "calendarPublicVisibilitySettingEnabled";

enum class FieldType { String, Boolean };

struct Field {
    const char* name;
    FieldType type;
};

constexpr Field kFields[] = {
    {kUserSearchMode, FieldType::String},
    {kResourceSearchEnabled, FieldType::Boolean},
    {kDefaultCalendarPublicVisibility, FieldType::String},
    {kCalendarPublicVisibilitySettingEnabled, FieldType::Boolean},
};

SettingsBodyError malformed(const std::string& why) {
    return SettingsBodyError(SettingsBodyError::Kind::Malformed, why);
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

// Parses the body and checks its shape: a JSON object whose members are known, appear once,
// and are null or of their field's type. The values themselves are checked by the callers.
json::Json parse_object(std::string_view body) {
    // cJSON stops at a NUL byte and, unless told otherwise, ignores what follows the value.
    if (body.find('\0') != std::string_view::npos) {
        throw malformed("The body is not valid JSON");
    }
    std::string text(body);
    cJSON* node = cJSON_ParseWithOpts(text.c_str(), nullptr, true);
    if (node == nullptr) {
        throw malformed("The body is not valid JSON");
    }
    json::Json doc(node);
    if (!cJSON_IsObject(doc.get())) {
        throw malformed("The body is not a JSON object");
    }
    std::set<std::string> seen;
    for (const cJSON* m = doc.get()->child; m != nullptr; m = m->next) {
        std::string name = m->string != nullptr ? m->string : "";
        const Field* field = std::find_if(std::begin(kFields), std::end(kFields),
                                          [&](const Field& f) { return name == f.name; });
        if (field == std::end(kFields)) {
            throw malformed("Unknown field: " + name);
        }
        if (!seen.insert(name).second) {
            throw malformed("Duplicate field: " + name);
        }
        if (cJSON_IsNull(m)) {
            continue;
        }
        if (field->type == FieldType::String && !cJSON_IsString(m)) {
            throw malformed("'" + name + "' must be a string or null");
        }
        if (field->type == FieldType::Boolean && !cJSON_IsBool(m)) {
            throw malformed("'" + name + "' must be a boolean or null");
        }
    }
    return doc;
}

UserSearchMode user_search_mode_of(const cJSON* value) {
    auto mode = parse_user_search_mode(value->valuestring);
    if (!mode) {
        throw SettingsBodyError(SettingsBodyError::Kind::UnknownValue,
                                std::string("Unknown userSearchMode: ") + value->valuestring);
    }
    return *mode;
}

CalendarVisibility visibility_of(const cJSON* value) {
    auto visibility = parse_calendar_visibility(value->valuestring);
    if (!visibility) {
        throw SettingsBodyError(
            SettingsBodyError::Kind::UnknownValue,
            std::string("Unknown defaultCalendarPublicVisibility: ") + value->valuestring);
    }
    return *visibility;
}

template <class T, class Read>
FieldPatch<T> patch_of(const cJSON* object, const char* name, Read read) {
    const cJSON* value = cJSON_GetObjectItemCaseSensitive(object, name);
    FieldPatch<T> p;
    if (value == nullptr) {
        return p;
    }
    if (cJSON_IsNull(value)) {
        p.action = FieldPatch<T>::Action::Clear;
        return p;
    }
    p.action = FieldPatch<T>::Action::Set;
    p.value = read(value);
    return p;
}

bool read_bool(const cJSON* value) {
    return cJSON_IsTrue(value);
}

}  // namespace

std::optional<UserSearchMode> parse_user_search_mode(std::string_view text) {
    std::string lowered = identity::lower(text);
    if (lowered == "enabled") {
        return UserSearchMode::Enabled;
    }
    if (lowered == "limited") {
        return UserSearchMode::Limited;
    }
    if (lowered == "disabled") {
        return UserSearchMode::Disabled;
    }
    return std::nullopt;
}

std::optional<CalendarVisibility> parse_calendar_visibility(std::string_view text) {
    std::string lowered = identity::lower(text);
    if (lowered == "private") {
        return CalendarVisibility::Private;
    }
    if (lowered == "read") {
        return CalendarVisibility::Read;
    }
    return std::nullopt;
}

std::string_view name_of(UserSearchMode mode) {
    switch (mode) {
        case UserSearchMode::Enabled:
            return "enabled";
        case UserSearchMode::Limited:
            return "limited";
        case UserSearchMode::Disabled:
            return "disabled";
    }
    return "enabled";
}

std::string_view name_of(CalendarVisibility visibility) {
    return visibility == CalendarVisibility::Read ? "read" : "private";
}

ResolvedDomainSettings resolve(const DomainSettings& stored, const std::string& domain,
                               const config::WorkerConfig& config) {
    ResolvedDomainSettings r;
    if (stored.user_search_mode) {
        r.user_search_mode = *stored.user_search_mode;
    } else if (contains(config.user_search_disabled_domains, domain)) {
        r.user_search_mode = UserSearchMode::Disabled;
    } else if (contains(config.user_search_limited_domains, domain)) {
        r.user_search_mode = UserSearchMode::Limited;
    } else {
        r.user_search_mode = UserSearchMode::Enabled;
    }
    r.resource_search_enabled = stored.resource_search_enabled.value_or(config.resource_search);
    r.default_calendar_public_visibility = stored.default_calendar_public_visibility.value_or(
        parse_calendar_visibility(config.default_calendar_visibility)
            .value_or(CalendarVisibility::Private));
    r.calendar_public_visibility_setting_enabled =
        stored.calendar_public_visibility_setting_enabled.value_or(
            config.calendar_visibility_setting);
    return r;
}

json::Json to_json(const DomainSettings& stored) {
    json::Json o = json::Json::object();
    if (stored.user_search_mode) {
        o.set(kUserSearchMode, name_of(*stored.user_search_mode));
    } else {
        o.set_null(kUserSearchMode);
    }
    if (stored.resource_search_enabled) {
        o.set(kResourceSearchEnabled, *stored.resource_search_enabled);
    } else {
        o.set_null(kResourceSearchEnabled);
    }
    if (stored.default_calendar_public_visibility) {
        o.set(kDefaultCalendarPublicVisibility,
              name_of(*stored.default_calendar_public_visibility));
    } else {
        o.set_null(kDefaultCalendarPublicVisibility);
    }
    if (stored.calendar_public_visibility_setting_enabled) {
        o.set(kCalendarPublicVisibilitySettingEnabled,
              *stored.calendar_public_visibility_setting_enabled);
    } else {
        o.set_null(kCalendarPublicVisibilitySettingEnabled);
    }
    return o;
}

json::Json to_json(const ResolvedDomainSettings& resolved) {
    json::Json o = json::Json::object();
    o.set(kUserSearchMode, name_of(resolved.user_search_mode));
    o.set(kResourceSearchEnabled, resolved.resource_search_enabled);
    o.set(kDefaultCalendarPublicVisibility, name_of(resolved.default_calendar_public_visibility));
    o.set(kCalendarPublicVisibilitySettingEnabled,
          resolved.calendar_public_visibility_setting_enabled);
    return o;
}

bool DomainSettingsPatch::changes_nothing() const {
    return user_search_mode.action == FieldPatch<UserSearchMode>::Action::Keep &&
           resource_search_enabled.action == FieldPatch<bool>::Action::Keep &&
           default_calendar_public_visibility.action ==
               FieldPatch<CalendarVisibility>::Action::Keep &&
           calendar_public_visibility_setting_enabled.action == FieldPatch<bool>::Action::Keep;
}

DomainSettings parse_settings_replacement(std::string_view body) {
    json::Json doc = parse_object(body);
    const cJSON* o = doc.get();
    for (const Field& f : kFields) {
        if (cJSON_GetObjectItemCaseSensitive(o, f.name) == nullptr) {
            throw malformed(std::string("Missing field: ") + f.name);
        }
    }
    DomainSettings s;
    const cJSON* mode = cJSON_GetObjectItemCaseSensitive(o, kUserSearchMode);
    if (cJSON_IsString(mode)) {
        s.user_search_mode = user_search_mode_of(mode);
    }
    const cJSON* resources = cJSON_GetObjectItemCaseSensitive(o, kResourceSearchEnabled);
    if (cJSON_IsBool(resources)) {
        s.resource_search_enabled = cJSON_IsTrue(resources);
    }
    const cJSON* visibility = cJSON_GetObjectItemCaseSensitive(o, kDefaultCalendarPublicVisibility);
    if (cJSON_IsString(visibility)) {
        s.default_calendar_public_visibility = visibility_of(visibility);
    }
    const cJSON* setting =
        cJSON_GetObjectItemCaseSensitive(o, kCalendarPublicVisibilitySettingEnabled);
    if (cJSON_IsBool(setting)) {
        s.calendar_public_visibility_setting_enabled = cJSON_IsTrue(setting);
    }
    return s;
}

DomainSettingsPatch parse_settings_patch(std::string_view body) {
    json::Json doc = parse_object(body);
    const cJSON* o = doc.get();
    DomainSettingsPatch p;
    p.user_search_mode = patch_of<UserSearchMode>(o, kUserSearchMode, user_search_mode_of);
    p.resource_search_enabled = patch_of<bool>(o, kResourceSearchEnabled, read_bool);
    p.default_calendar_public_visibility =
        patch_of<CalendarVisibility>(o, kDefaultCalendarPublicVisibility, visibility_of);
    p.calendar_public_visibility_setting_enabled =
        patch_of<bool>(o, kCalendarPublicVisibilitySettingEnabled, read_bool);
    return p;
}

}  // namespace twake::settings
