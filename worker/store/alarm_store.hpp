#pragma once

// The `twake_calendar_alarm_events` collection: each event's next alarm per recipient
// (docs/reference/alarms.md §1).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "worker/store/mongo_pool.hpp"

namespace twake::store {

struct AlarmRow {
    std::string event_uid;
    std::string recipient;  // lower-cased
    std::chrono::sys_seconds alarm_time;
    std::chrono::sys_seconds event_start;
    bool recurring = false;
    std::optional<std::string> recurrence_id;
    std::string ics;
    std::string event_path;
    std::string action;  // "EMAIL" or "DISPLAY"
};

// Blocking calls: run them on the blocking pool.
class AlarmStore {
  public:
    explicit AlarmStore(MongoPool& pool) : pool_(pool) {}

    // Creates or replaces the row of (event_uid, recipient).
    void put(const AlarmRow& row);
    // Creates the row of (event_uid, recipient) only when there is none: false when one exists
    // (the unique index decides, so two writers cannot both insert).
    bool insert_if_absent(const AlarmRow& row);
    // Removes every recipient's row of one calendar object; returns how many.
    int64_t remove_object(const std::string& event_uid, const std::string& event_path);
    // Removes the rows of one calendar object whose recipient is not in `kept`.
    int64_t remove_others(const std::string& event_uid, const std::string& event_path,
                          const std::vector<std::string>& kept);
    // Removes one row, only while it still fires at `alarm_time` (an event changed meanwhile
    // keeps its new row).
    bool remove_fired(const std::string& event_uid, const std::string& recipient,
                      std::chrono::sys_seconds alarm_time);
    // Replaces one row by `next`, only while it still fires at `alarm_time`.
    bool advance(const AlarmRow& fired, const AlarmRow& next);
    // Whether the row of (event_uid, recipient) still fires at `alarm_time`.
    bool fires_at(const std::string& event_uid, const std::string& recipient,
                  std::chrono::sys_seconds alarm_time);
    // The rows due at `now`, earliest first, at most `limit`.
    std::vector<AlarmRow> due(std::chrono::sys_seconds now, int64_t limit);
    // Every recipient's row of one event.
    std::vector<AlarmRow> of_event(const std::string& event_uid);
    int64_t count();

  private:
    MongoPool& pool_;
};

}  // namespace twake::store
