#include "worker/store/domain_settings_store.hpp"

#include "shared/log/log.hpp"
#include "worker/store/bson.hpp"
#include "worker/store/store_error.hpp"

namespace twake::store {

namespace {

constexpr const char* kCollection = "domain_settings";
const log::Logger kLog("worker.store.domain_settings");

using settings::CalendarVisibility;
using settings::FieldPatch;
using settings::UserSearchMode;

void warn_unreadable(const std::string& domain, const char* field) {
    kLog.warn("Ignoring an unreadable stored domain setting",
              {{"domain", domain}, {"field", field}});
}

template <class T, class Parse>
std::optional<T> read_name(const bson_t* doc, const char* field, Parse parse,
                           const std::string& domain) {
    bson_iter_t it;
    if (!bson_iter_init_find(&it, doc, field) || BSON_ITER_HOLDS_NULL(&it)) {
        return std::nullopt;
    }
    std::optional<T> value;
    if (BSON_ITER_HOLDS_UTF8(&it)) {
        uint32_t length = 0;
        const char* text = bson_iter_utf8(&it, &length);
        value = parse(std::string_view(text, length));
    }
    if (!value) {
        warn_unreadable(domain, field);
    }
    return value;
}

std::optional<bool> read_bool(const bson_t* doc, const char* field, const std::string& domain) {
    bson_iter_t it;
    if (!bson_iter_init_find(&it, doc, field) || BSON_ITER_HOLDS_NULL(&it)) {
        return std::nullopt;
    }
    if (!BSON_ITER_HOLDS_BOOL(&it)) {
        warn_unreadable(domain, field);
        return std::nullopt;
    }
    return bson_iter_bool(&it);
}

// One field's part of an update: into `set` when it has a value, else into `unset`.
void append_name(bson_t* set, bson_t* unset, const char* field,
                 const std::optional<std::string_view>& value) {
    if (value) {
        bson_append_utf8(set, field, -1, value->data(), static_cast<int>(value->size()));
    } else {
        BSON_APPEND_UTF8(unset, field, "");
    }
}

void append_bool(bson_t* set, bson_t* unset, const char* field, const std::optional<bool>& value) {
    if (value) {
        BSON_APPEND_BOOL(set, field, *value);
    } else {
        BSON_APPEND_UTF8(unset, field, "");
    }
}

template <class T>
std::optional<std::string_view> name_or_none(const std::optional<T>& value) {
    if (!value) {
        return std::nullopt;
    }
    return settings::name_of(*value);
}

// A patch field as the optional value `append_*` takes; Keep fields are skipped by the caller.
template <class T>
std::optional<T> patched_value(const FieldPatch<T>& p) {
    if (p.action == FieldPatch<T>::Action::Set) {
        return p.value;
    }
    return std::nullopt;
}

// $set and $unset of the domain's document, created when missing.
void upsert(MongoPool& pool, const std::string& domain, const bson_t* set, const bson_t* unset) {
    Bson filter(BCON_NEW("domain", BCON_UTF8(domain.c_str())));
    Bson update;
    if (!bson_empty(set)) {
        BSON_APPEND_DOCUMENT(update.get(), "$set", set);
    }
    if (!bson_empty(unset)) {
        BSON_APPEND_DOCUMENT(update.get(), "$unset", unset);
    }
    Bson opts(BCON_NEW("upsert", BCON_BOOL(true)));
    Collection c(pool, kCollection);
    upsert_once_more_on_duplicate([&] { c.update_one(filter.get(), update.get(), opts.get()); });
}

}  // namespace

settings::DomainSettings DomainSettingsStore::find(const std::string& domain) {
    Collection c(pool_, kCollection);
    Bson filter(BCON_NEW("domain", BCON_UTF8(domain.c_str())));
    auto doc = c.find_one(filter.get());
    settings::DomainSettings s;
    if (!doc) {
        return s;
    }
    s.user_search_mode = read_name<UserSearchMode>(doc->get(), "userSearchMode",
                                                   settings::parse_user_search_mode, domain);
    s.resource_search_enabled = read_bool(doc->get(), "resourceSearchEnabled", domain);
    s.default_calendar_public_visibility = read_name<CalendarVisibility>(
        doc->get(), "defaultCalendarPublicVisibility", settings::parse_calendar_visibility, domain);
    s.calendar_public_visibility_setting_enabled =
        read_bool(doc->get(), "calendarPublicVisibilitySettingEnabled", domain);
    return s;
}

void DomainSettingsStore::save(const std::string& domain, const settings::DomainSettings& values) {
    Bson set;
    Bson unset;
    BSON_APPEND_UTF8(set.get(), "domain", domain.c_str());
    append_name(set.get(), unset.get(), "userSearchMode", name_or_none(values.user_search_mode));
    append_bool(set.get(), unset.get(), "resourceSearchEnabled", values.resource_search_enabled);
    append_name(set.get(), unset.get(), "defaultCalendarPublicVisibility",
                name_or_none(values.default_calendar_public_visibility));
    append_bool(set.get(), unset.get(), "calendarPublicVisibilitySettingEnabled",
                values.calendar_public_visibility_setting_enabled);
    upsert(pool_, domain, set.get(), unset.get());
}

void DomainSettingsStore::patch(const std::string& domain,
                                const settings::DomainSettingsPatch& patch) {
    if (patch.changes_nothing()) {
        return;
    }
    Bson set;
    Bson unset;
    if (patch.user_search_mode.action != FieldPatch<UserSearchMode>::Action::Keep) {
        append_name(set.get(), unset.get(), "userSearchMode",
                    name_or_none(patched_value(patch.user_search_mode)));
    }
    if (patch.resource_search_enabled.action != FieldPatch<bool>::Action::Keep) {
        append_bool(set.get(), unset.get(), "resourceSearchEnabled",
                    patched_value(patch.resource_search_enabled));
    }
    if (patch.default_calendar_public_visibility.action !=
        FieldPatch<CalendarVisibility>::Action::Keep) {
        append_name(set.get(), unset.get(), "defaultCalendarPublicVisibility",
                    name_or_none(patched_value(patch.default_calendar_public_visibility)));
    }
    if (patch.calendar_public_visibility_setting_enabled.action != FieldPatch<bool>::Action::Keep) {
        append_bool(set.get(), unset.get(), "calendarPublicVisibilitySettingEnabled",
                    patched_value(patch.calendar_public_visibility_setting_enabled));
    }
    if (!bson_empty(set.get())) {
        BSON_APPEND_UTF8(set.get(), "domain", domain.c_str());
    }
    upsert(pool_, domain, set.get(), unset.get());
}

}  // namespace twake::store
