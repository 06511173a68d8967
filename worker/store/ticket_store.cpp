#include "worker/store/ticket_store.hpp"

#include "worker/store/bson.hpp"
#include "worker/store/store_error.hpp"

namespace twake::store {

namespace {

constexpr const char* kCollection = "auth_tickets";

int64_t epoch_ms(tickets::Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// A stored document as a ticket; nullopt when a field is missing (not ours, or damaged).
std::optional<tickets::Ticket> read_ticket(const bson_t* doc) {
    auto value = get_string(doc, "_id");
    auto username = get_string(doc, "username");
    auto valid_until = get_date(doc, "validUntil");
    if (!value || !username || !valid_until) {
        return std::nullopt;
    }
    tickets::Ticket t;
    t.value = *value;
    t.username = *username;
    t.client_address = get_string(doc, "clientAddress").value_or("");
    t.generated_on = get_date(doc, "generatedOn").value_or(*valid_until - tickets::kValidity);
    t.valid_until = *valid_until;
    t.sid = get_string(doc, "sid");
    return t;
}

struct FindAndModifyOpts {
    FindAndModifyOpts() : opts(mongoc_find_and_modify_opts_new()) {}
    ~FindAndModifyOpts() { mongoc_find_and_modify_opts_destroy(opts); }
    FindAndModifyOpts(const FindAndModifyOpts&) = delete;
    FindAndModifyOpts& operator=(const FindAndModifyOpts&) = delete;
    mongoc_find_and_modify_opts_t* opts;
};

}  // namespace

void TicketStore::insert(const tickets::Ticket& ticket) {
    Bson doc(BCON_NEW("_id", BCON_UTF8(ticket.value.c_str()), "username",
                      BCON_UTF8(ticket.username.c_str()), "clientAddress",
                      BCON_UTF8(ticket.client_address.c_str()), "generatedOn",
                      BCON_DATE_TIME(epoch_ms(ticket.generated_on)), "validUntil",
                      BCON_DATE_TIME(epoch_ms(ticket.valid_until))));
    if (ticket.sid) {
        BSON_APPEND_UTF8(doc.get(), "sid", ticket.sid->c_str());
    }
    Collection c(pool_, kCollection);
    c.insert_one(doc.get());
}

bool TicketStore::delete_owned(const std::string& value, const std::string& username) {
    Bson filter(BCON_NEW("_id", BCON_UTF8(value.c_str()), "username", BCON_UTF8(username.c_str())));
    Collection c(pool_, kCollection);
    return c.delete_one(filter.get()) > 0;
}

std::optional<tickets::Ticket> TicketStore::take(const std::string& value) {
    Bson query(BCON_NEW("_id", BCON_UTF8(value.c_str())));
    FindAndModifyOpts opts;
    mongoc_find_and_modify_opts_set_flags(opts.opts, MONGOC_FIND_AND_MODIFY_REMOVE);
    Collection c(pool_, kCollection);
    bson_t reply;
    bson_error_t error;
    bool ok = mongoc_collection_find_and_modify_with_opts(c.get(), query.get(), opts.opts, &reply,
                                                          &error);
    Bson owned(bson_copy(&reply));
    bson_destroy(&reply);
    if (!ok) {
        throw store_error(error, std::string("findAndModify in ") + kCollection);
    }
    bson_iter_t it;
    if (!bson_iter_init_find(&it, owned.get(), "value") || !BSON_ITER_HOLDS_DOCUMENT(&it)) {
        return std::nullopt;  // null: no such ticket
    }
    uint32_t length = 0;
    const uint8_t* data = nullptr;
    bson_iter_document(&it, &length, &data);
    bson_t found;
    if (!bson_init_static(&found, data, length)) {
        return std::nullopt;
    }
    return read_ticket(&found);
}

}  // namespace twake::store
