#include "worker/services/alarm_rows.hpp"

#include <chrono>
#include <stdexcept>

#include "shared/log/log.hpp"
#include "worker/alarms/next_alarm.hpp"
#include "worker/ical/calendar.hpp"
#include "worker/runtime/store_call.hpp"
#include "worker/settings/user_settings.hpp"

namespace twake::services {

namespace {

const log::Logger kLog("worker.alarms");

std::string first_uid(icalcomponent* calendar) {
    for (icalcomponent* event : ical::vevents(calendar)) {
        const char* uid = icalcomponent_get_uid(event);
        if (uid != nullptr && *uid != '\0') {
            return uid;
        }
    }
    return "";
}

}  // namespace

bool AlarmRows::alarm_emails_on(const store::User& user) const {
    if (!user.domain_id) {
        return true;
    }
    json::Json stored = configurations_.read(user.id, *user.domain_id);
    settings::UserSettings settings(config_, stored.get());
    json::Json value = settings.value("calendar", "alarmEmails");
    return !cJSON_IsFalse(value.get());
}

AlarmRows::NextRows AlarmRows::next_rows(const store::User& owner, const std::string& event_path,
                                         const std::string& ics) const {
    ical::Component calendar = ical::parse_calendar(ics);
    NextRows out;
    out.uid = first_uid(calendar.get());
    if (out.uid.empty()) {
        return out;
    }
    const auto now =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    auto next = alarms::next_alarm(calendar.get(), owner.email, now, now);
    if (!next) {
        return out;
    }
    out.has_alarm = true;
    for (const std::string& recipient : alarms::row_recipients(*next, owner.email)) {
        if (next->action == alarms::AlarmAction::Email && mailer_ != nullptr &&
            !mailer_->allowed(recipient)) {
            continue;
        }
        out.rows.push_back(store::AlarmRow{out.uid, recipient, next->alarm_time, next->event_start,
                                           next->recurring, next->recurrence_id, ics, event_path,
                                           alarms::action_name(next->action)});
    }
    return out;
}

void AlarmRows::change_now(const AlarmMessage& message) const {
    auto owner = users_.find_by_id(message.home_id);
    if (!owner) {
        return;  // a resource's calendar, or a user gone
    }
    if (!alarm_emails_on(*owner)) {
        return;
    }
    std::string ics;
    if (message.raw_event) {
        ics = *message.raw_event;
    } else {
        auto object = dav_.calendar_object(message.event_path, owner->domain_id.value_or(""));
        if (!object) {
            if (!message.event_uid.empty()) {
                alarms_.remove_object(message.event_uid, message.event_path);
            }
            return;
        }
        ics = object->ical;
    }
    NextRows next;
    try {
        next = next_rows(*owner, message.event_path, ics);
    } catch (const std::invalid_argument& e) {
        kLog.warn("Alarm message with an unreadable event: ignored",
                  {{"path", message.event_path}, {"error", e.what()}});
        return;
    }
    if (next.uid.empty()) {
        return;
    }
    if (!next.has_alarm) {
        alarms_.remove_object(next.uid, message.event_path);
        return;
    }
    std::vector<std::string> kept;
    for (const store::AlarmRow& row : next.rows) {
        alarms_.put(row);
        kept.push_back(row.recipient);
    }
    alarms_.remove_others(next.uid, message.event_path, kept);
}

int AlarmRows::insert_missing(const store::User& owner, const std::string& event_path,
                              const std::string& ics) const {
    int inserted = 0;
    for (const store::AlarmRow& row : next_rows(owner, event_path, ics).rows) {
        if (alarms_.insert_if_absent(row)) {
            ++inserted;
        }
    }
    return inserted;
}

runtime::Awaitable<void> AlarmRows::changed(const AlarmMessage& message, bool created) const {
    if (created && !message.has_alarm) {
        co_return;
    }
    auto work = [this, copy = message] {
        change_now(copy);
        return true;
    };
    co_await runtime::run_store_call(blocking_, work);
}

runtime::Awaitable<void> AlarmRows::removed(const AlarmMessage& message) const {
    if (message.event_uid.empty()) {
        co_return;
    }
    auto work = [this, copy = message] {
        return alarms_.remove_object(copy.event_uid, copy.event_path);
    };
    co_await runtime::run_store_call(blocking_, work);
}

}  // namespace twake::services
