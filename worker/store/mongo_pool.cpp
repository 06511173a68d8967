#include "worker/store/mongo_pool.hpp"

#include "shared/config/config_error.hpp"
#include "shared/log/log.hpp"

namespace twake::store {

namespace {

struct UriDelete {
    void operator()(mongoc_uri_t* u) const { mongoc_uri_destroy(u); }
};

// Bounds the driver's waits when the operator has not: upstream relies on the 30 s default,
// which makes a health check or a request hang that long when MongoDB is gone.
void default_int_option(mongoc_uri_t* uri, const char* option, int32_t value) {
    if (mongoc_uri_get_option_as_int32(uri, option, -1) == -1) {
        mongoc_uri_set_option_as_int32(uri, option, value);
    }
}

void driver_log(mongoc_log_level_t level, const char* domain, const char* message, void*) {
    static const log::Logger logger("worker.mongodb.driver");
    log::Level l = log::Level::Debug;
    switch (level) {
        case MONGOC_LOG_LEVEL_ERROR:
        case MONGOC_LOG_LEVEL_CRITICAL:
            l = log::Level::Error;
            break;
        case MONGOC_LOG_LEVEL_WARNING:
            l = log::Level::Warn;
            break;
        case MONGOC_LOG_LEVEL_MESSAGE:
        case MONGOC_LOG_LEVEL_INFO:
            l = log::Level::Info;
            break;
        default:
            l = log::Level::Debug;
            break;
    }
    // "endSessions" is unknown to some MongoDB-compatible servers (FerretDB 1.x); the driver
    // only cleans up server-side sessions with it at shutdown.
    if (l == log::Level::Warn &&
        std::string_view(message).find("endSessions") != std::string_view::npos) {
        l = log::Level::Debug;
    }
    logger.write(l, message, {{"domain", domain ? domain : ""}});
}

}  // namespace

MongoDriver::MongoDriver() {
    mongoc_log_set_handler(&driver_log, nullptr);
    mongoc_init();
}

MongoPool::MongoPool(const std::string& url, std::string database)
    : database_(std::move(database)) {
    bson_error_t error;
    std::unique_ptr<mongoc_uri_t, UriDelete> uri(mongoc_uri_new_with_error(url.c_str(), &error));
    if (!uri) {
        // The driver's message never echoes the password back.
        throw config::ConfigError(std::string("'mongo.url' is not a MongoDB connection string: ") +
                                  error.message);
    }
    if (database_.empty()) {
        // Upstream requires mongo.database; naming the database in the URI path is accepted too.
        const char* in_uri = mongoc_uri_get_database(uri.get());
        if (in_uri == nullptr || *in_uri == '\0') {
            throw config::ConfigError(
                "'mongo.database' is mandatory (or name the database in mongo.url: "
                "mongodb://host:27017/esn_docker)");
        }
        database_ = in_uri;
    }
    default_int_option(uri.get(), MONGOC_URI_SERVERSELECTIONTIMEOUTMS, 5000);
    default_int_option(uri.get(), MONGOC_URI_CONNECTTIMEOUTMS, 5000);
    if (mongoc_uri_get_appname(uri.get()) == nullptr) {
        mongoc_uri_set_appname(uri.get(), "twake-calendar-worker");
    }
    pool_.reset(mongoc_client_pool_new(uri.get()));
    if (!pool_) {
        throw config::ConfigError("'mongo.url': the MongoDB driver refused the connection string");
    }
    mongoc_client_pool_set_error_api(pool_.get(), MONGOC_ERROR_API_VERSION_2);
}

}  // namespace twake::store
