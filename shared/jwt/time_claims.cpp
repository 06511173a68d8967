#include "shared/jwt/time_claims.hpp"

#include "shared/jwt/jwt_error.hpp"

namespace twake::jwt {

namespace {

// NumericDate: seconds since the epoch, possibly fractional.
double epoch_seconds(std::chrono::system_clock::time_point time) {
    return std::chrono::duration<double>(time.time_since_epoch()).count();
}

// The claim's value; absent → nullptr; present but not a number → JwtError.
const cJSON* numeric_date(const cJSON* claims, const char* name, const char* malformed) {
    const cJSON* item = cJSON_GetObjectItemCaseSensitive(claims, name);
    if (item != nullptr && !cJSON_IsNumber(item)) {
        throw JwtError(malformed);
    }
    return item;
}

}  // namespace

void check_time_claims(const cJSON* claims, ExpiryRule rule,
                       std::chrono::system_clock::time_point now) {
    double current = epoch_seconds(now);
    const cJSON* exp = numeric_date(claims, "exp", "malformed exp");
    if (exp == nullptr && rule == ExpiryRule::Required) {
        throw JwtError("missing exp");
    }
    if (exp != nullptr && current >= exp->valuedouble) {
        throw JwtError("expired");
    }
    const cJSON* nbf = numeric_date(claims, "nbf", "malformed nbf");
    if (nbf != nullptr && current < nbf->valuedouble) {
        throw JwtError("not yet valid");
    }
}

}  // namespace twake::jwt
