#include "worker/store/alarm_store.hpp"

#include "worker/store/bson.hpp"
#include "worker/store/store_error.hpp"

namespace twake::store {

namespace {

using namespace std::chrono;

constexpr const char* kCollection = "twake_calendar_alarm_events";

int64_t millis(sys_seconds t) {
    return duration_cast<milliseconds>(t.time_since_epoch()).count();
}

sys_seconds seconds_of(system_clock::time_point t) {
    return time_point_cast<seconds>(t);
}

Bson document_of(const AlarmRow& row) {
    Bson doc(BCON_NEW("eventUid", BCON_UTF8(row.event_uid.c_str()), "recipient",
                      BCON_UTF8(row.recipient.c_str()), "alarmTime",
                      BCON_DATE_TIME(millis(row.alarm_time)), "eventStartTime",
                      BCON_DATE_TIME(millis(row.event_start)), "recurring",
                      BCON_BOOL(row.recurring), "ics", BCON_UTF8(row.ics.c_str()), "eventPath",
                      BCON_UTF8(row.event_path.c_str()), "action", BCON_UTF8(row.action.c_str())));
    if (row.recurrence_id) {
        BSON_APPEND_UTF8(doc.get(), "recurrenceId", row.recurrence_id->c_str());
    }
    return doc;
}

AlarmRow row_of(const bson_t* doc) {
    AlarmRow row;
    row.event_uid = get_string(doc, "eventUid").value_or("");
    row.recipient = get_string(doc, "recipient").value_or("");
    row.alarm_time = seconds_of(get_date(doc, "alarmTime").value_or(system_clock::time_point{}));
    row.event_start =
        seconds_of(get_date(doc, "eventStartTime").value_or(system_clock::time_point{}));
    row.recurring = get_bool(doc, "recurring").value_or(false);
    row.recurrence_id = get_string(doc, "recurrenceId");
    row.ics = get_string(doc, "ics").value_or("");
    row.event_path = get_string(doc, "eventPath").value_or("");
    row.action = get_string(doc, "action").value_or("EMAIL");
    return row;
}

Bson key_at(const std::string& event_uid, const std::string& recipient, sys_seconds alarm_time) {
    return Bson(BCON_NEW("eventUid", BCON_UTF8(event_uid.c_str()), "recipient",
                         BCON_UTF8(recipient.c_str()), "alarmTime",
                         BCON_DATE_TIME(millis(alarm_time))));
}

}  // namespace

void AlarmStore::put(const AlarmRow& row) {
    Collection c(pool_, kCollection);
    Bson filter(BCON_NEW("eventUid", BCON_UTF8(row.event_uid.c_str()), "recipient",
                         BCON_UTF8(row.recipient.c_str())));
    Bson doc = document_of(row);
    Bson opts(BCON_NEW("upsert", BCON_BOOL(true)));
    upsert_once_more_on_duplicate([&] { c.replace_one(filter.get(), doc.get(), opts.get()); });
}

bool AlarmStore::insert_if_absent(const AlarmRow& row) {
    Collection c(pool_, kCollection);
    Bson doc = document_of(row);
    try {
        c.insert_one(doc.get());
    } catch (const StoreError& e) {
        if (!e.duplicate_key()) {
            throw;
        }
        return false;
    }
    return true;
}

int64_t AlarmStore::remove_object(const std::string& event_uid, const std::string& event_path) {
    Collection c(pool_, kCollection);
    Bson filter(BCON_NEW("eventUid", BCON_UTF8(event_uid.c_str()), "eventPath",
                         BCON_UTF8(event_path.c_str())));
    return c.delete_many(filter.get());
}

int64_t AlarmStore::remove_others(const std::string& event_uid, const std::string& event_path,
                                  const std::vector<std::string>& kept) {
    Collection c(pool_, kCollection);
    Bson filter(BCON_NEW("eventUid", BCON_UTF8(event_uid.c_str()), "eventPath",
                         BCON_UTF8(event_path.c_str())));
    bson_t recipient, nin;
    BSON_APPEND_DOCUMENT_BEGIN(filter.get(), "recipient", &recipient);
    BSON_APPEND_ARRAY_BEGIN(&recipient, "$nin", &nin);
    for (size_t i = 0; i < kept.size(); ++i) {
        const std::string key = std::to_string(i);
        bson_append_utf8(&nin, key.c_str(), -1, kept[i].c_str(), -1);
    }
    bson_append_array_end(&recipient, &nin);
    bson_append_document_end(filter.get(), &recipient);
    return c.delete_many(filter.get());
}

bool AlarmStore::remove_fired(const std::string& event_uid, const std::string& recipient,
                              sys_seconds alarm_time) {
    Collection c(pool_, kCollection);
    Bson filter = key_at(event_uid, recipient, alarm_time);
    return c.delete_one(filter.get()) > 0;
}

bool AlarmStore::advance(const AlarmRow& fired, const AlarmRow& next) {
    Collection c(pool_, kCollection);
    Bson filter = key_at(fired.event_uid, fired.recipient, fired.alarm_time);
    Bson doc = document_of(next);
    return c.replace_one(filter.get(), doc.get()) > 0;
}

bool AlarmStore::fires_at(const std::string& event_uid, const std::string& recipient,
                          sys_seconds alarm_time) {
    Collection c(pool_, kCollection);
    Bson filter = key_at(event_uid, recipient, alarm_time);
    return c.find_one(filter.get()).has_value();
}

std::vector<AlarmRow> AlarmStore::due(sys_seconds now, int64_t limit) {
    Collection c(pool_, kCollection);
    Bson filter(BCON_NEW("alarmTime", "{", "$lte", BCON_DATE_TIME(millis(now)), "}"));
    Bson opts(BCON_NEW("sort", "{", "alarmTime", BCON_INT32(1), "}", "limit", BCON_INT64(limit)));
    std::vector<AlarmRow> out;
    for (const Bson& doc : c.find(filter.get(), opts.get())) {
        out.push_back(row_of(doc.get()));
    }
    return out;
}

std::vector<AlarmRow> AlarmStore::of_event(const std::string& event_uid) {
    Collection c(pool_, kCollection);
    Bson filter(BCON_NEW("eventUid", BCON_UTF8(event_uid.c_str())));
    std::vector<AlarmRow> out;
    for (const Bson& doc : c.find(filter.get())) {
        out.push_back(row_of(doc.get()));
    }
    return out;
}

int64_t AlarmStore::count() {
    Collection c(pool_, kCollection);
    Bson filter;
    bson_error_t error;
    int64_t n =
        mongoc_collection_count_documents(c.get(), filter.get(), nullptr, nullptr, nullptr, &error);
    if (n < 0) {
        throw store_error(error, std::string("count in ") + kCollection);
    }
    return n;
}

}  // namespace twake::store
