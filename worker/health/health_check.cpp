#include "worker/health/health_check.hpp"

namespace twake::health {

std::string_view status_name(Status status) {
    switch (status) {
        case Status::Healthy:
            return "healthy";
        case Status::Degraded:
            return "degraded";
        case Status::Unhealthy:
            return "unhealthy";
    }
    return "unhealthy";
}

Status aggregate(const std::vector<Result>& results) {
    Status worst = Status::Healthy;
    for (const Result& r : results) {
        if (static_cast<int>(r.status) > static_cast<int>(worst)) {
            worst = r.status;
        }
    }
    return worst;
}

int http_status(Status status, bool strict) {
    if (status == Status::Unhealthy) {
        return 503;
    }
    if (strict && status == Status::Degraded) {
        return 503;
    }
    return 200;
}

}  // namespace twake::health
