#pragma once

// The `twake_calendar_alarm_events_ledge` collection: the leases with which worker nodes in
// cluster mode agree on who sends an alarm (docs/reference/alarms.md §1, §4).

#include <chrono>
#include <string>

#include "worker/store/mongo_pool.hpp"

namespace twake::store {

// Blocking calls: run them on the blocking pool.
class AlarmLeases {
  public:
    explicit AlarmLeases(MongoPool& pool) : pool_(pool) {}

    // Takes the lease of one alarm (recipient lower-cased) until now + ttl: false when another
    // node holds it. A lease past its expiry that the TTL sweep has not removed yet is taken over.
    bool acquire(const std::string& event_uid, const std::string& recipient,
                 std::chrono::sys_seconds alarm_time, std::chrono::seconds ttl);
    // Gives a lease back, so that the next tick tries again.
    void release(const std::string& event_uid, const std::string& recipient,
                 std::chrono::sys_seconds alarm_time);

  private:
    MongoPool& pool_;
};

}  // namespace twake::store
