#pragma once

// MongoDB through libmongoc: one client pool for the process. The driver connects lazily and
// reconnects by itself, so a MongoDB that comes back is used again without a restart.

#include <mongoc/mongoc.h>

#include <memory>
#include <string>

namespace twake::store {

// mongoc_init / mongoc_cleanup for the lifetime of the process; the driver's own log lines
// go to the worker's JSON log (logger `worker.mongodb.driver`).
class MongoDriver {
  public:
    MongoDriver();
    ~MongoDriver() { mongoc_cleanup(); }
    MongoDriver(const MongoDriver&) = delete;
    MongoDriver& operator=(const MongoDriver&) = delete;
};

class MongoPool {
  public:
    // Throws config::ConfigError when `url` is not a MongoDB connection string.
    MongoPool(const std::string& url, std::string database);

    // A client borrowed from the pool, given back when the lease ends.
    class Lease {
      public:
        Lease(mongoc_client_pool_t* pool) : pool_(pool), client_(mongoc_client_pool_pop(pool)) {}
        ~Lease() { mongoc_client_pool_push(pool_, client_); }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        mongoc_client_t* get() const { return client_; }

      private:
        mongoc_client_pool_t* pool_;
        mongoc_client_t* client_;
    };

    Lease acquire() { return Lease(pool_.get()); }
    // Command monitoring for every client of the pool (before the first acquire()).
    void set_apm_callbacks(mongoc_apm_callbacks_t* callbacks, void* context) {
        mongoc_client_pool_set_apm_callbacks(pool_.get(), callbacks, context);
    }
    const std::string& database() const { return database_; }

  private:
    struct PoolDelete {
        void operator()(mongoc_client_pool_t* p) const { mongoc_client_pool_destroy(p); }
    };
    std::unique_ptr<mongoc_client_pool_t, PoolDelete> pool_;
    std::string database_;
};

}  // namespace twake::store
