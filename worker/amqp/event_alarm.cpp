#include "worker/amqp/event_alarm.hpp"

#include <cjson/cJSON.h>

#include <cstring>
#include <stdexcept>

#include "shared/json/json.hpp"
#include "worker/ical/calendar.hpp"
#include "worker/realtime/collection_path.hpp"

namespace twake::amqp {

namespace {

bool named(const cJSON* component, const char* name) {
    const cJSON* first = cJSON_GetArrayItem(component, 0);
    return cJSON_IsString(first) && strcasecmp(first->valuestring, name) == 0;
}

// jCal: [name, [properties], [components]].
bool has_valarm(const cJSON* component) {
    if (named(component, "valarm")) {
        return true;
    }
    const cJSON* subs = cJSON_GetArrayItem(component, 2);
    const cJSON* sub = nullptr;
    cJSON_ArrayForEach(sub, subs) {
        if (cJSON_IsArray(sub) && has_valarm(sub)) {
            return true;
        }
    }
    return false;
}

std::string jcal_uid(const cJSON* calendar) {
    const cJSON* event = nullptr;
    cJSON_ArrayForEach(event, cJSON_GetArrayItem(calendar, 2)) {
        if (!named(event, "vevent")) {
            continue;
        }
        const cJSON* property = nullptr;
        cJSON_ArrayForEach(property, cJSON_GetArrayItem(event, 1)) {
            const cJSON* value = cJSON_GetArrayItem(property, 3);
            if (named(property, "uid") && cJSON_IsString(value)) {
                return value->valuestring;
            }
        }
    }
    return "";
}

void read_raw(services::AlarmMessage& out) {
    try {
        ical::Component calendar = ical::parse_calendar(*out.raw_event);
        for (icalcomponent* event : ical::vevents(calendar.get())) {
            if (out.event_uid.empty() && icalcomponent_get_uid(event) != nullptr) {
                out.event_uid = icalcomponent_get_uid(event);
            }
            if (icalcomponent_get_first_component(event, ICAL_VALARM_COMPONENT) != nullptr) {
                out.has_alarm = true;
            }
        }
    } catch (const std::invalid_argument&) {
        out.raw_event.reset();  // the jCal still says what it can
    }
}

using Work = runtime::Awaitable<void> (*)(const services::AlarmRows&,
                                          const services::AlarmMessage&);

runtime::Awaitable<void> on_created(const services::AlarmRows& rows,
                                    const services::AlarmMessage& message) {
    co_await rows.changed(message, true);
}

runtime::Awaitable<void> on_changed(const services::AlarmRows& rows,
                                    const services::AlarmMessage& message) {
    co_await rows.changed(message, false);
}

runtime::Awaitable<void> on_removed(const services::AlarmRows& rows,
                                    const services::AlarmMessage& message) {
    co_await rows.removed(message);
}

runtime::Awaitable<HandlerOutcome> handle(const services::AlarmRows& rows, Work work,
                                          const Delivery& delivery) {
    const services::AlarmMessage message = parse_alarm_message(delivery.body);
    co_await work(rows, message);
    co_return HandlerOutcome::done();
}

Consumer consumer(const services::AlarmRows& rows, const char* action, Work work) {
    return {with_colon_dead_letter(std::string("calendar:event:alarm:") + action,
                                   std::string("tcalendar:event:alarm:") + action),
            16, [&rows, work](const Delivery& delivery) { return handle(rows, work, delivery); }};
}

}  // namespace

services::AlarmMessage parse_alarm_message(std::string_view body) {
    auto doc = json::Json::parse(body);
    if (!doc || !cJSON_IsObject(doc->get())) {
        throw PoisonMessage("not a JSON object");
    }
    services::AlarmMessage out;
    out.event_path = json::string_member(doc->get(), "eventPath").value_or("");
    auto calendar = realtime::calendar_of_object_path(out.event_path);
    if (!calendar) {
        throw PoisonMessage("`eventPath` is not /calendars/<home>/<calendar>/<object>");
    }
    out.home_id = calendar->home;
    out.raw_event = json::string_member(doc->get(), "rawEvent");
    if (out.raw_event) {
        read_raw(out);
    }
    const cJSON* event = cJSON_GetObjectItemCaseSensitive(doc->get(), "event");
    if (!out.raw_event && cJSON_IsArray(event)) {
        out.event_uid = jcal_uid(event);
        out.has_alarm = has_valarm(event);
    }
    return out;
}

std::vector<Consumer> event_alarm_consumers(const services::AlarmRows& rows) {
    std::vector<Consumer> out;
    out.push_back(consumer(rows, "created", on_created));
    out.push_back(consumer(rows, "updated", on_changed));
    out.push_back(consumer(rows, "request", on_changed));
    out.push_back(consumer(rows, "deleted", on_removed));
    out.push_back(consumer(rows, "cancel", on_removed));
    return out;
}

}  // namespace twake::amqp
