#include "worker/store/mongo_health_check.hpp"

#include "shared/log/log.hpp"

namespace twake::store {

namespace {
const log::Logger kLog("worker.mongodb");
}

health::Result MongoHealthCheck::check() {
    auto lease = pool_.acquire();
    bson_t* command = BCON_NEW("ping", BCON_INT32(1));
    bson_t reply;
    bson_error_t error;
    bool ok = mongoc_client_command_simple(lease.get(), pool_.database().c_str(), command, nullptr,
                                           &reply, &error);
    bson_destroy(&reply);
    bson_destroy(command);
    if (!ok) {
        kLog.warn("MongoDB ping failed", {{"error", error.message}});
        return unhealthy("Failed to execute request against MongoDB");
    }
    return healthy();
}

}  // namespace twake::store
