#pragma once

// A domain's search and calendar-visibility settings (docs/webadmin.md §2.3,
// docs/reference/rest-api.md §7, docs/reference/mongodb.md §8): what is stored for the domain, each
// field resolved against the configuration file when not stored, and the webadmin request bodies
// that change them.
// Pure: values and JSON text come in, values and JSON go out.

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "shared/json/json.hpp"
#include "worker/config/worker_config.hpp"

namespace twake::settings {

enum class UserSearchMode { Enabled, Limited, Disabled };
enum class CalendarVisibility { Private, Read };

// Case-insensitive; nullopt for any other text.
std::optional<UserSearchMode> parse_user_search_mode(std::string_view text);
std::optional<CalendarVisibility> parse_calendar_visibility(std::string_view text);
// Lower-case wire and storage names: "enabled", "limited", "disabled"; "private", "read".
std::string_view name_of(UserSearchMode mode);
std::string_view name_of(CalendarVisibility visibility);

// What is stored for a domain; nullopt = not set.
struct DomainSettings {
    std::optional<UserSearchMode> user_search_mode;
    std::optional<bool> resource_search_enabled;
    std::optional<CalendarVisibility> default_calendar_public_visibility;
    std::optional<bool> calendar_public_visibility_setting_enabled;
};

// The values in effect for a domain.
struct ResolvedDomainSettings {
    UserSearchMode user_search_mode = UserSearchMode::Enabled;
    bool resource_search_enabled = true;
    CalendarVisibility default_calendar_public_visibility = CalendarVisibility::Private;
    bool calendar_public_visibility_setting_enabled = true;
};

// Each field: the stored value, else the configuration (`user.search.disabled.domains`, then
// `user.search.limited.domains`; `resource.search.enabled`; `default.calendar.public.visibility`;
// `calendar.public.visibility.setting.enabled`), whose own defaults are the built-in ones.
// `domain` is the lower-cased domain name.
ResolvedDomainSettings resolve(const DomainSettings& stored, const std::string& domain,
                               const config::WorkerConfig& config);

// The four fields by their wire names; unset stored fields are JSON null.
json::Json to_json(const DomainSettings& stored);
json::Json to_json(const ResolvedDomainSettings& resolved);

// A change of one field.
template <class T>
struct FieldPatch {
    enum class Action { Keep, Clear, Set };
    Action action = Action::Keep;
    T value{};  // meaningful for Set only
};

struct DomainSettingsPatch {
    FieldPatch<UserSearchMode> user_search_mode;
    FieldPatch<bool> resource_search_enabled;
    FieldPatch<CalendarVisibility> default_calendar_public_visibility;
    FieldPatch<bool> calendar_public_visibility_setting_enabled;

    bool changes_nothing() const;
};

// Why a settings body was refused. `Malformed`: not JSON, not an object, a missing (PUT) or
// unknown member, a value of the wrong JSON type. `UnknownValue`: a well-formed body with an
// enum value outside its set; the message is then "Unknown <field>: <value>".
class SettingsBodyError : public std::runtime_error {
  public:
    enum class Kind { Malformed, UnknownValue };
    SettingsBodyError(Kind kind, const std::string& message)
        : std::runtime_error(message), kind_(kind) {}
    Kind kind() const { return kind_; }

  private:
    Kind kind_;
};

// The body of PUT: every one of the four members present, each null (clear) or a value of its
// type, no other member. Throws SettingsBodyError.
DomainSettings parse_settings_replacement(std::string_view body);

// The body of PATCH: each member optional (absent = keep, null = clear), no other member.
// Throws SettingsBodyError.
DomainSettingsPatch parse_settings_patch(std::string_view body);

}  // namespace twake::settings
