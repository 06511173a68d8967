#pragma once

// The work behind the alarm consumers (docs/reference/alarms.md §3): a created or changed
// event gets, per recipient, the row of its next alarm; a deleted or cancelled one loses its
// rows. Throws what its parts throw (store::StoreError, dav::DavError,
// runtime::DeadlineExceeded): the consumer retries.

#include <optional>
#include <string>
#include <vector>

#include "worker/config/worker_config.hpp"
#include "worker/dav/dav_client.hpp"
#include "worker/runtime/awaitable.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/services/calendar_mailer.hpp"
#include "worker/store/alarm_store.hpp"
#include "worker/store/configuration_store.hpp"
#include "worker/store/user_store.hpp"

namespace twake::services {

// An alarm message of esn-sabre, read.
struct AlarmMessage {
    std::string event_path;  // /calendars/<home>/<calendar>/<object>.ics
    std::string home_id;
    std::string event_uid;                 // of the first VEVENT; empty when unknown
    std::optional<std::string> raw_event;  // the object's iCalendar text, when sent
    bool has_alarm = false;                // a VALARM anywhere in the event
};

class AlarmRows {
  public:
    // `mailer` nullptr: no whitelist to apply (no smtp.host). All outlive the consumers.
    AlarmRows(const config::WorkerConfig& config, store::UserStore& users,
              store::ConfigurationStore& configurations, store::AlarmStore& alarms,
              dav::DavClient& dav, const CalendarMailer* mailer, runtime::BlockingPool& blocking)
        : config_(config),
          users_(users),
          configurations_(configurations),
          alarms_(alarms),
          dav_(dav),
          mailer_(mailer),
          blocking_(blocking) {}

    // `alarm:created` (`created` true: nothing without a VALARM), `…:updated`, `…:request`.
    runtime::Awaitable<void> changed(const AlarmMessage& message, bool created) const;
    // `alarm:deleted`, `alarm:cancel`.
    runtime::Awaitable<void> removed(const AlarmMessage& message) const;

    // Whether a user's calendar.alarmEmails setting lets alarms be kept and sent. Blocking.
    bool alarm_emails_on(const store::User& user) const;

    // The reschedule task (docs/reference/alarms.md §5): the rows of the next alarm of one of
    // `owner`'s calendar objects, each created only when its (UID, recipient) has none; how
    // many were created. The caller checked alarm_emails_on. Blocking; std::invalid_argument
    // when `ics` is not iCalendar.
    int insert_missing(const store::User& owner, const std::string& event_path,
                       const std::string& ics) const;

  private:
    // The UID of a calendar object and the rows of its next alarm for `owner` (none without
    // one), the mail whitelist applied.
    struct NextRows {
        std::string uid;  // empty: no VEVENT with a UID
        std::vector<store::AlarmRow> rows;
        bool has_alarm = false;
    };
    NextRows next_rows(const store::User& owner, const std::string& event_path,
                       const std::string& ics) const;
    void change_now(const AlarmMessage& message) const;

    const config::WorkerConfig& config_;
    store::UserStore& users_;
    store::ConfigurationStore& configurations_;
    store::AlarmStore& alarms_;
    dav::DavClient& dav_;
    const CalendarMailer* mailer_;
    runtime::BlockingPool& blocking_;
};

}  // namespace twake::services
