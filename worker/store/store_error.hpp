#pragma once

// Errors of the MongoDB layer. Callers test the kind, never the server's message text
// (MongoDB-compatible servers word them differently, docs/reference/mongodb.md §11).

#include <stdexcept>
#include <string>

#include <mongoc/mongoc.h>

namespace twake::store {

class StoreError : public std::runtime_error {
  public:
    enum class Kind {
        Unavailable,     // no server reachable (selection, network): the API answers 503
        DuplicateKey,    // code 11000
        NotImplemented,  // code 238: an option this server lacks (FerretDB 1.x)
        Other,
    };
    StoreError(Kind kind, int code, const std::string& message)
        : std::runtime_error(message), kind_(kind), code_(code) {}

    Kind kind() const { return kind_; }
    int code() const { return code_; }
    bool unavailable() const { return kind_ == Kind::Unavailable; }
    bool duplicate_key() const { return kind_ == Kind::DuplicateKey; }

  private:
    Kind kind_;
    int code_;
};

// Classifies a driver error; `what` names the operation ("insert into users").
StoreError store_error(const bson_error_t& error, const std::string& what);

// Runs an upsert, and once more when it lost a race on a unique index: two first writes of one
// key both insert, and the loser's second try updates the winner's document.
template <class Upsert>
void upsert_once_more_on_duplicate(Upsert upsert) {
    try {
        upsert();
    } catch (const StoreError& e) {
        if (!e.duplicate_key()) {
            throw;
        }
        upsert();
    }
}

}  // namespace twake::store
