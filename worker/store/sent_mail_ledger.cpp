#include "worker/store/sent_mail_ledger.hpp"

#include "worker/store/bson.hpp"

namespace twake::store {

namespace {
constexpr const char* kCollection = "twake_calendar_sent_mails";
}

bool SentMailLedger::contains(const std::string& key) {
    Collection c(pool_, kCollection);
    Bson filter(BCON_NEW("_id", BCON_UTF8(key.c_str())));
    return c.find_one(filter.get()).has_value();
}

void SentMailLedger::record(const std::string& key) {
    using namespace std::chrono;
    auto now = system_clock::now();
    int64_t sent = duration_cast<milliseconds>(now.time_since_epoch()).count();
    int64_t expires = duration_cast<milliseconds>((now + kKeptFor).time_since_epoch()).count();
    Collection c(pool_, kCollection);
    Bson filter(BCON_NEW("_id", BCON_UTF8(key.c_str())));
    Bson update(BCON_NEW("$set", "{", "sentAt", BCON_DATE_TIME(sent), "expiresAt",
                         BCON_DATE_TIME(expires), "}"));
    Bson opts(BCON_NEW("upsert", BCON_BOOL(true)));
    c.update_one(filter.get(), update.get(), opts.get());
}

}  // namespace twake::store
