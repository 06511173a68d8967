#pragma once

// The registered checks, run concurrently on the blocking pool, each bounded by a timeout
// (a check that does not answer in time is unhealthy — upstream has no such bound).

#include <chrono>
#include <memory>
#include <vector>

#include "worker/health/health_check.hpp"
#include "worker/http/message.hpp"
#include "worker/runtime/blocking_pool.hpp"

namespace twake::health {

class HealthRegistry {
  public:
    HealthRegistry(runtime::BlockingPool& pool, std::chrono::milliseconds timeout)
        : pool_(pool), timeout_(timeout) {}

    void add(std::shared_ptr<HealthCheck> check) { checks_.push_back(std::move(check)); }
    const std::vector<std::shared_ptr<HealthCheck>>& checks() const { return checks_; }
    std::shared_ptr<HealthCheck> find(std::string_view name) const;

    // Runs the given checks (all at once) and returns their results in the same order.
    // Coroutine parameters are references on purpose: GCC 12 can destroy a by-value
    // parameter of a co_awaited call twice; callers keep the vector alive while awaiting.
    http::Awaitable<std::vector<Result>> run(
        const std::vector<std::shared_ptr<HealthCheck>>& checks);

  private:
    runtime::BlockingPool& pool_;
    std::chrono::milliseconds timeout_;
    std::vector<std::shared_ptr<HealthCheck>> checks_;

    http::Awaitable<Result> run_one(const std::shared_ptr<HealthCheck>& check);
};

}  // namespace twake::health
