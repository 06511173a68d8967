#include "worker/store/store_error.hpp"

namespace twake::store {

StoreError store_error(const bson_error_t& error, const std::string& what) {
    StoreError::Kind kind = StoreError::Kind::Other;
    if (error.domain == MONGOC_ERROR_SERVER_SELECTION || error.domain == MONGOC_ERROR_STREAM ||
        (error.domain == MONGOC_ERROR_CLIENT && error.code == MONGOC_ERROR_CLIENT_AUTHENTICATE)) {
        kind = StoreError::Kind::Unavailable;
    } else if (error.code == 11000 || error.code == 11001) {
        kind = StoreError::Kind::DuplicateKey;
    } else if (error.code == 238) {
        kind = StoreError::Kind::NotImplemented;
    }
    return StoreError(kind, static_cast<int>(error.code), what + ": " + error.message);
}

}  // namespace twake::store
