#pragma once

#include "worker/health/health_check.hpp"
#include "worker/redis/redis_address.hpp"

namespace twake::redis {

// PING on a fresh connection (component name `Redis`; upstream documents a check it lacks).
class RedisHealthCheck : public health::HealthCheck {
  public:
    explicit RedisHealthCheck(RedisAddress address)
        : HealthCheck("Redis"), address_(std::move(address)) {}
    health::Result check() override;

  private:
    RedisAddress address_;
};

}  // namespace twake::redis
