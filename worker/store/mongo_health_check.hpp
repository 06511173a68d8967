#pragma once

#include "worker/health/health_check.hpp"
#include "worker/store/mongo_pool.hpp"

namespace twake::store {

// `ping` on the configured database (component name `MongoDB`, as upstream).
class MongoHealthCheck : public health::HealthCheck {
  public:
    explicit MongoHealthCheck(MongoPool& pool) : HealthCheck("MongoDB"), pool_(pool) {}
    health::Result check() override;

  private:
    MongoPool& pool_;
};

}  // namespace twake::store
