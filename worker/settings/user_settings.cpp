#include "worker/settings/user_settings.hpp"

#include <cctype>
#include <map>

namespace twake::settings {

namespace {

json::Json entry(const std::string& name, json::Json value) {
    json::Json e = json::Json::object();
    e.set("name", name);
    e.set("value", std::move(value));
    return e;
}

json::Json url_pair(const std::string& url) {
    json::Json inner = json::Json::object();
    inner.set("url", url);
    json::Json outer = json::Json::object();
    outer.set("frontend", json::Json::copy_of(inner.get()));
    outer.set("backend", std::move(inner));
    return outer;
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& known_keys() {
    static const std::vector<std::pair<std::string, std::string>> keys = {
        {"core", "davserver"},
        {"core", "allowDomainAdminToManageUserEmails"},
        {"core", "homePage"},
        {"core", "language"},
        {"core", "datetime"},
        {"core", "businessHours"},
        {"linagora.esn.calendar", "features"},
        {"linagora.esn.calendar", "workingDays"},
        {"linagora.esn.calendar", "hideDeclinedEvents"},
        {"linagora.esn.videoconference", "jitsiInstanceUrl"},
        {"linagora.esn.videoconference", "openPaasVideoconferenceAppUrl"},
        {"linagora.esn.contact", "features"},
        {"calendar", "alarmEmails"},
        {"calendar", "displayWeekNumbers"},
    };
    return keys;
}

UserSettings::UserSettings(const config::WorkerConfig& config, const cJSON* stored)
    : config_(config), stored_(stored) {}

const cJSON* UserSettings::stored_value(const std::string& module, const std::string& key) const {
    if (!cJSON_IsArray(stored_)) {
        return nullptr;
    }
    for (const cJSON* m = stored_->child; m != nullptr; m = m->next) {
        if (json::string_member(m, "name") != module) {
            continue;
        }
        const cJSON* entries = cJSON_GetObjectItemCaseSensitive(m, "configurations");
        for (const cJSON* e = entries != nullptr ? entries->child : nullptr; e != nullptr;
             e = e->next) {
            if (json::string_member(e, "name") == key) {
                return cJSON_GetObjectItemCaseSensitive(e, "value");
            }
        }
    }
    return nullptr;
}

json::Json UserSettings::value(const std::string& module, const std::string& key) const {
    const cJSON* stored = stored_value(module, key);
    auto stored_or = [&](json::Json fallback) {
        return stored != nullptr ? json::Json::copy_of(stored) : std::move(fallback);
    };
    // The public DAV URL the apps use: the edge's own /dav (docs/reference/edge-worker.md §6),
    // never esn-sabre's address, which clients must not reach.
    if (module == "core" && key == "davserver") {
        return url_pair(config_.self_url + "/dav");
    }
    if (module == "core" && (key == "allowDomainAdminToManageUserEmails" || key == "homePage")) {
        return json::Json::null();
    }
    if (module == "core" && key == "language") {
        return stored_or(json::Json(cJSON_CreateString(config_.user_defaults.language.c_str())));
    }
    if (module == "core" && key == "datetime") {
        json::Json d = json::Json::object();
        d.set("timeZone", config_.user_defaults.timezone);
        d.set("use24hourFormat", config_.user_defaults.use_24h_format);
        return stored_or(std::move(d));
    }
    if (module == "core" && key == "businessHours") {
        json::Json days = json::Json::array();
        for (int day : config_.user_defaults.business_days) {
            days.push(json::Json(cJSON_CreateNumber(day)));
        }
        json::Json hours = json::Json::object();
        hours.set("start", config_.user_defaults.business_hours_start);
        hours.set("end", config_.user_defaults.business_hours_end);
        hours.set("daysOfWeek", std::move(days));
        json::Json list = json::Json::array();
        list.push(std::move(hours));
        return stored_or(std::move(list));
    }
    if (module == "linagora.esn.calendar" && key == "features") {
        json::Json f = json::Json::object();
        f.set("isSharingCalendarEnabled", config_.calendar_sharing);
        return f;
    }
    if (module == "linagora.esn.videoconference" &&
        (key == "jitsiInstanceUrl" || key == "openPaasVideoconferenceAppUrl")) {
        return json::Json(cJSON_CreateString(config_.visio_url.c_str()));
    }
    if (module == "linagora.esn.contact" && key == "features") {
        json::Json f = json::Json::object();
        f.set("isVirtualFollowingAddressbookEnabled", false);
        f.set("isVirtualUserAddressbookEnabled", false);
        f.set("isSharingAddressbookEnabled", config_.contacts_sharing);
        f.set("isDomainMembersAddressbookEnabled", config_.domain_contacts);
        return f;
    }
    if (module == "calendar" && (key == "alarmEmails" || key == "displayWeekNumbers")) {
        return stored_or(json::Json(cJSON_CreateBool(true)));
    }
    return stored_or(json::Json::null());
}

json::Json UserSettings::all() const {
    json::Json modules = json::Json::array();
    std::string current;
    json::Json entries;
    auto flush = [&] {
        if (!current.empty()) {
            json::Json m = json::Json::object();
            m.set("name", current);
            m.set("configurations", std::move(entries));
            modules.push(std::move(m));
        }
    };
    for (const auto& [module, key] : known_keys()) {
        if (module != current) {
            flush();
            current = module;
            entries = json::Json::array();
        }
        entries.push(entry(key, value(module, key)));
    }
    flush();
    return modules;
}

std::string UserSettings::timezone() const {
    const cJSON* datetime = stored_value("core", "datetime");
    if (datetime == nullptr) {
        return config_.user_defaults.timezone;
    }
    auto zone = json::string_member(datetime, "timeZone");
    if (!zone || !plausible_timezone(*zone)) {
        return "UTC";
    }
    return *zone;
}

std::string UserSettings::language() const {
    const cJSON* stored = stored_value("core", "language");
    if (cJSON_IsString(stored) && stored->valuestring != nullptr &&
        stored->valuestring[0] != '\0') {
        return stored->valuestring;
    }
    return config_.user_defaults.language;
}

json::Json merge_modules(const cJSON* stored, const cJSON* incoming) {
    // module → (key → value), keeping first-seen order of modules and keys.
    std::vector<std::string> module_order;
    std::map<std::string, std::vector<std::pair<std::string, json::Json>>> merged;
    auto absorb = [&](const cJSON* modules) {
        if (!cJSON_IsArray(modules)) {
            return;
        }
        for (const cJSON* m = modules->child; m != nullptr; m = m->next) {
            auto name = json::string_member(m, "name");
            const cJSON* entries = cJSON_GetObjectItemCaseSensitive(m, "configurations");
            if (!name || !cJSON_IsArray(entries)) {
                continue;
            }
            if (!merged.contains(*name)) {
                module_order.push_back(*name);
            }
            auto& keys = merged[*name];
            for (const cJSON* e = entries->child; e != nullptr; e = e->next) {
                auto key = json::string_member(e, "name");
                const cJSON* value = cJSON_GetObjectItemCaseSensitive(e, "value");
                if (!key || value == nullptr) {
                    continue;
                }
                bool replaced = false;
                for (auto& [k, v] : keys) {
                    if (k == *key) {
                        v = json::Json::copy_of(value);
                        replaced = true;
                    }
                }
                if (!replaced) {
                    keys.emplace_back(*key, json::Json::copy_of(value));
                }
            }
        }
    };
    absorb(stored);
    absorb(incoming);
    json::Json out = json::Json::array();
    for (const auto& name : module_order) {
        json::Json entries = json::Json::array();
        for (auto& [k, v] : merged[name]) {
            entries.push(entry(k, std::move(v)));
        }
        json::Json m = json::Json::object();
        m.set("name", name);
        m.set("configurations", std::move(entries));
        out.push(std::move(m));
    }
    return out;
}

std::optional<json::Json> parse_modules_body(const cJSON* body) {
    if (!cJSON_IsArray(body)) {
        return std::nullopt;
    }
    auto blank = [](const std::optional<std::string>& s) {
        return !s || s->find_first_not_of(" \t\r\n") == std::string::npos;
    };
    for (const cJSON* m = body->child; m != nullptr; m = m->next) {
        if (!cJSON_IsObject(m) || blank(json::string_member(m, "name"))) {
            return std::nullopt;
        }
        const cJSON* entries = cJSON_GetObjectItemCaseSensitive(m, "configurations");
        if (!cJSON_IsArray(entries)) {
            return std::nullopt;
        }
        for (const cJSON* e = entries->child; e != nullptr; e = e->next) {
            if (!cJSON_IsObject(e) || blank(json::string_member(e, "name")) ||
                cJSON_GetObjectItemCaseSensitive(e, "value") == nullptr) {
                return std::nullopt;
            }
            // Unknown members of an entry are refused (docs/reference/rest-api.md §6).
            for (const cJSON* member = e->child; member != nullptr; member = member->next) {
                std::string_view n = member->string != nullptr ? member->string : "";
                if (n != "name" && n != "value") {
                    return std::nullopt;
                }
            }
        }
    }
    // Merging into nothing collapses duplicates (last wins) into the stored shape.
    return merge_modules(nullptr, body);
}

bool plausible_timezone(const std::string& name) {
    if (name == "UTC" || name == "GMT" || name == "Etc/UTC") {
        return true;
    }
    size_t slash = name.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == name.size()) {
        return false;
    }
    for (char c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '/' && c != '_' && c != '-' &&
            c != '+') {
            return false;
        }
    }
    return std::isupper(static_cast<unsigned char>(name.front()));
}

}  // namespace twake::settings
