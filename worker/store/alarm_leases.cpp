#include "worker/store/alarm_leases.hpp"

#include "worker/store/bson.hpp"
#include "worker/store/store_error.hpp"

namespace twake::store {

namespace {

using namespace std::chrono;

constexpr const char* kCollection = "twake_calendar_alarm_events_ledge";

int64_t millis(system_clock::time_point t) {
    return duration_cast<milliseconds>(t.time_since_epoch()).count();
}

Bson key_of(const std::string& event_uid, const std::string& recipient, sys_seconds alarm_time) {
    return Bson(BCON_NEW("eventUid", BCON_UTF8(event_uid.c_str()), "alarmTime",
                         BCON_DATE_TIME(millis(alarm_time)), "recipient",
                         BCON_UTF8(recipient.c_str())));
}

}  // namespace

bool AlarmLeases::acquire(const std::string& event_uid, const std::string& recipient,
                          sys_seconds alarm_time, seconds ttl) {
    Collection c(pool_, kCollection);
    // False when the key is taken.
    auto insert = [&] {
        auto now = system_clock::now();
        Bson lease = key_of(event_uid, recipient, alarm_time);
        BSON_APPEND_DATE_TIME(lease.get(), "createdAt", millis(now));
        BSON_APPEND_DATE_TIME(lease.get(), "expiresAt", millis(now + ttl));
        try {
            c.insert_one(lease.get());
            return true;
        } catch (const StoreError& e) {
            if (!e.duplicate_key()) {
                throw;
            }
            return false;
        }
    };
    if (insert()) {
        return true;
    }
    // The TTL sweep is lazy (and some servers have none): an expired lease is removed here.
    Bson expired = key_of(event_uid, recipient, alarm_time);
    bson_t until;
    BSON_APPEND_DOCUMENT_BEGIN(expired.get(), "expiresAt", &until);
    BSON_APPEND_DATE_TIME(&until, "$lte", millis(system_clock::now()));
    bson_append_document_end(expired.get(), &until);
    return c.delete_one(expired.get()) > 0 && insert();
}

void AlarmLeases::release(const std::string& event_uid, const std::string& recipient,
                          sys_seconds alarm_time) {
    Collection c(pool_, kCollection);
    Bson key = key_of(event_uid, recipient, alarm_time);
    c.delete_one(key.get());
}

}  // namespace twake::store
