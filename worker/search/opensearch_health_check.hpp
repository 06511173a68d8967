#pragma once

#include "worker/health/health_check.hpp"
#include "worker/search/opensearch_config.hpp"

namespace twake::search {

// Cluster health (component name `OpenSearch Backend`, as upstream): RED → unhealthy.
class OpenSearchHealthCheck : public health::HealthCheck {
  public:
    explicit OpenSearchHealthCheck(OpenSearchConfig config)
        : HealthCheck("OpenSearch Backend"), config_(std::move(config)) {}
    health::Result check() override;

  private:
    OpenSearchConfig config_;
};

}  // namespace twake::search
